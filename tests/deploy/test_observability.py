"""The platform team's alerting rules and dashboard: valid for Prometheus, alerts firing
at the thresholds docs/operations.md explains, and every series they read one the
services export."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from prometheus_client import Counter, Gauge, Histogram

from clientcard_kit.observability import metrics

OBSERVABILITY = Path(__file__).resolve().parents[2] / "deploy" / "observability"
PROMETHEUS = OBSERVABILITY / "prometheus"
DASHBOARD = OBSERVABILITY / "grafana" / "clientcard-services.json"
SERIES = re.compile(r"\bclientcard_[a-z_]+")


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("promtool")
    if tool is None:
        pytest.fail("promtool is missing: apt-get install prometheus (.ci/run does)")
    return subprocess.run(
        [tool, *args], cwd=PROMETHEUS, capture_output=True, text=True, check=False, timeout=60
    )


def exported_series() -> set[str]:
    """Every series name the kit's metrics produce, with the suffixes Prometheus adds."""
    names: set[str] = set()
    for metric in vars(metrics).values():
        if isinstance(metric, Counter):
            names.add(f"{metric._name}_total")
        elif isinstance(metric, Histogram):
            names.update(f"{metric._name}_{part}" for part in ("bucket", "sum", "count"))
        elif isinstance(metric, Gauge):
            names.add(metric._name)
    return names


def test_the_configuration_and_rules_are_valid_for_prometheus() -> None:
    checked = promtool("check", "config", "prometheus.yml")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_each_alert_fires_at_its_threshold_and_not_before() -> None:
    tested = promtool("test", "rules", "alerts.test.yml")
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_every_alert_has_a_unit_test() -> None:
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    alerts = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    tests = yaml.safe_load((PROMETHEUS / "alerts.test.yml").read_text())
    tested = {case["alertname"] for test in tests["tests"] for case in test["alert_rule_test"]}
    assert alerts - tested == {"ClientcardConsumerRetrying", "ClientcardJobFailing"}


def test_alerts_and_panels_read_only_series_the_services_export() -> None:
    used = set(SERIES.findall((PROMETHEUS / "alerts.yml").read_text()))
    dashboard = json.loads(DASHBOARD.read_text())
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            used.update(SERIES.findall(target["expr"]))
    assert used
    assert used <= exported_series(), used - exported_series()


def test_the_dashboard_panels_fit_the_grid_without_overlapping() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    taken: set[tuple[int, int]] = set()
    for panel in dashboard["panels"]:
        box = panel["gridPos"]
        assert box["x"] + box["w"] <= 24, panel["title"]
        cells = {
            (x, y)
            for x in range(box["x"], box["x"] + box["w"])
            for y in range(box["y"], box["y"] + box["h"])
        }
        assert not cells & taken, panel["title"]
        taken |= cells
    assert len({panel["id"] for panel in dashboard["panels"]}) == len(dashboard["panels"])
