"""docs/operations.md keeps up with the code it documents: every shared setting, every
metric and every topic is named there."""

from pathlib import Path

import pytest
from prometheus_client.metrics import MetricWrapperBase

from clientcard_contracts.topics import TOPICS, TopicSpec
from clientcard_kit.observability import metrics
from clientcard_kit.settings import ServiceSettings

GUIDE = (Path(__file__).resolve().parents[2] / "docs" / "operations.md").read_text()


@pytest.mark.parametrize("setting", sorted(set(ServiceSettings.model_fields) - {"service_name"}))
def test_every_shared_setting_is_documented(setting: str) -> None:
    assert f"| `{setting.upper()}` |" in GUIDE


def metric_names() -> list[str]:
    declared = [value for value in vars(metrics).values() if isinstance(value, MetricWrapperBase)]
    return sorted({family.name for metric in declared for family in metric.describe()})


@pytest.mark.parametrize("name", metric_names())
def test_every_metric_is_explained(name: str) -> None:
    # A counter is described without its `_total` suffix.
    documented = f"`{name}_total`" in GUIDE or f"`{name}`" in GUIDE
    assert documented, name


@pytest.mark.parametrize("topic", TOPICS, ids=lambda topic: topic.name)
def test_every_topic_and_its_partitions_are_listed(topic: TopicSpec) -> None:
    rows = [row for row in GUIDE.splitlines() if row.startswith("|") and f"`{topic.name}`" in row]
    assert rows, topic.name
    assert f"| {topic.partitions} |" in rows[0]
