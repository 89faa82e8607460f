"""What `up` starts to watch the stack: Prometheus always, the trace viewer when asked."""

import shutil
from pathlib import Path

import pytest

from clientcard_devstack import observability
from clientcard_devstack.paths import StateLayout, repo_root
from clientcard_devstack.registry import COMPONENTS


@pytest.mark.parametrize(
    ("value", "asked"), [("1", True), ("true", True), ("", False), ("0", False), ("no", False)]
)
def test_the_trace_viewer_runs_only_when_asked(value: str, asked: bool) -> None:
    assert observability.traces_asked({"TRACES": value}) is asked


def test_every_watcher_is_a_component_that_status_and_down_know() -> None:
    watchers = {component.name for component in COMPONENTS if component.kind == "observability"}
    assert watchers == set(observability.STARTERS)


def test_prometheus_scrapes_with_the_deployed_rules_and_keeps_its_data_in_the_state(
    tmp_path: Path,
) -> None:
    if shutil.which("prometheus") is None:
        pytest.skip("Prometheus is installed by `make up` (Debian's package)")
    layout = StateLayout(root=tmp_path, kafka_libs=tmp_path / "kafka")
    command = observability.prometheus_command(repo_root(), layout, lambda message: None)
    config = Path(next(arg for arg in command if arg.startswith("--config.file=")).split("=")[1])
    assert config == repo_root() / "deploy" / "observability" / "prometheus" / "prometheus.yml"
    assert f"--storage.tsdb.path={tmp_path / 'prometheus'}" in command
