"""Prometheus and a trace viewer beside the development stack, to see it as a platform
team does.

Prometheus (Debian's package, installed when missing and `up` runs as root) scrapes every
process with the rules of `deploy/observability/prometheus`. With `TRACES=1`, Jaeger (built
once from its Go module into `.state/tools/`, which takes minutes the first time) receives the
traces every process then exports: `up` starts it before the services and gives each of
them, and the gateway, its OTLP endpoint.
"""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx

from clientcard_devstack import processes
from clientcard_devstack.errors import StackError
from clientcard_devstack.paths import StateLayout
from clientcard_devstack.registry import HOST, PROMETHEUS_PORT, TRACES_PORT
from clientcard_devstack.system import apt_install

JAEGER_MODULE = "github.com/jaegertracing/jaeger/cmd/jaeger"
JAEGER_VERSION = "v1.76.0"
OTLP_HTTP_PORT = 4318
OTLP_ENDPOINT = f"http://{HOST}:{OTLP_HTTP_PORT}"
PROMETHEUS_URL = f"http://{HOST}:{PROMETHEUS_PORT}"
TRACES_URL = f"http://{HOST}:{TRACES_PORT}"


Say = Callable[[str], None]


def start_prometheus(repo: Path, layout: StateLayout, step: Say, done: Say) -> None:
    command = prometheus_command(repo, layout, step)
    _start("prometheus", command, f"{PROMETHEUS_URL}/-/ready", layout, repo, step)
    done(f"ready at {PROMETHEUS_URL}")


def start_traces(repo: Path, layout: StateLayout, step: Say, done: Say) -> None:
    export_traces_to_viewer()
    command = jaeger_command(repo, step)
    _start("traces", command, TRACES_URL, layout, repo, step)
    done(f"ready at {TRACES_URL}, receiving OTLP at {OTLP_ENDPOINT}")


def _start(
    name: str, command: list[str], ready: str, layout: StateLayout, repo: Path, step: Say
) -> None:
    pid_file, log_file = layout.pid_file(name), layout.log_file(name)
    process = None
    if processes.running(pid_file) is None:
        step("starting")
        process = processes.spawn(command, log_file=log_file, pid_file=pid_file, cwd=repo)
    processes.wait_ready(
        name, lambda: _answers(ready), process=process, log_file=log_file, timeout=60.0
    )


def _answers(url: str) -> str | None:
    try:
        response = httpx.get(url, timeout=2.0)
    except httpx.HTTPError as exc:
        return repr(exc)
    return None if response.status_code == 200 else f"answered {response.status_code}"


def traces_wanted(layout: StateLayout) -> bool:
    """Asked for now, or running since an earlier `up` (whose services export to it)."""
    return traces_asked() or processes.running(layout.pid_file("traces")) is not None


def traces_asked(environ: dict[str, str] | None = None) -> bool:
    """`make up TRACES=1`: run the trace viewer and have every process export to it."""
    value = (environ if environ is not None else os.environ).get("TRACES", "")
    return value.strip().lower() in ("1", "true", "yes")


def prometheus_command(repo: Path, layout: StateLayout, step: Callable[[str], None]) -> list[str]:
    binary = shutil.which("prometheus")
    if binary is None:
        step("installing the prometheus package (apt-get)")
        if not apt_install(["prometheus"]) or (binary := shutil.which("prometheus")) is None:
            raise StackError("Prometheus is not installed: apt-get install prometheus")
    config = repo / "deploy" / "observability" / "prometheus" / "prometheus.yml"
    return [
        binary,
        f"--config.file={config}",
        f"--storage.tsdb.path={layout.root / 'prometheus'}",
        "--storage.tsdb.retention.time=2d",
        f"--web.listen-address={HOST}:{PROMETHEUS_PORT}",
    ]


def jaeger_command(repo: Path, step: Callable[[str], None]) -> list[str]:
    """Jaeger's all-in-one (OTLP in on 4318, the UI on 16686, spans kept in memory)."""
    # Beside the Makefile's other tools (TOOLS), out of the repository.
    binary = repo / ".state" / "tools" / f"jaeger-{JAEGER_VERSION}" / "jaeger"
    if not binary.is_file():
        step(f"building Jaeger {JAEGER_VERSION} from its Go module (once; minutes)")
        _build_jaeger(binary)
    return [str(binary)]


def _build_jaeger(binary: Path) -> None:
    if shutil.which("go") is None:
        raise StackError("the trace viewer is built with Go, which is not installed")
    binary.parent.mkdir(parents=True, exist_ok=True)
    # A module of its own that requires Jaeger as a tool: Jaeger's own go.mod has replace
    # directives, which `go install module@version` refuses.
    with tempfile.TemporaryDirectory() as workdir:
        for argv in (
            ["go", "mod", "init", "clientcard.local/traces-viewer"],
            ["go", "get", "-tool", f"{JAEGER_MODULE}@{JAEGER_VERSION}"],
            ["go", "build", "-o", str(binary), JAEGER_MODULE],
        ):
            done = subprocess.run(argv, cwd=workdir, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise StackError(f"{' '.join(argv[:2])} failed: {done.stderr[-2000:]}")


def export_traces_to_viewer() -> None:
    """What the processes started after this export their traces to (they inherit it)."""
    os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = OTLP_ENDPOINT


STARTERS: dict[str, Callable[[Path, StateLayout, Say, Say], None]] = {
    "prometheus": start_prometheus,
    "traces": start_traces,
}
