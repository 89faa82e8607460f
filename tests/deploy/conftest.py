"""What the deploy tests share: the tools `make deploy-tools` installs, and the command
line each service is started with by `make up`."""

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from clientcard_devstack.registry import SERVICE_PORTS
from clientcard_devstack.services import ServiceSettings

TOOLS = Path(__file__).resolve().parents[2] / ".state" / "tools" / "bin"

Launcher = Callable[[str, str], list[str]]
Runner = Callable[[list[str]], str]


def _launcher_argv(service: str, command: str) -> list[str]:
    settings = ServiceSettings(
        name=service,
        port=SERVICE_PORTS[service],
        database_url="postgresql+psycopg://unused",
        kafka_bootstrap_servers="unused:9092",
    )
    # The launcher runs its own interpreter; an image runs the `python` on its PATH.
    return ["python", *settings.argv(command)[1:]]


@pytest.fixture(scope="session")
def launcher_argv() -> Launcher:
    """What `make up` runs for a service (`serve`) or before it (`migrate`)."""
    return _launcher_argv


def _tool(name: str) -> str:
    path = TOOLS / name
    if path.is_file():
        return str(path)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `make deploy-tools`", pytrace=False)
    return found


def _run(argv: list[str]) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return result.stdout


@pytest.fixture(scope="session")
def kustomize() -> Runner:
    binary = _tool("kustomize")
    return lambda args: _run([binary, *args])


@pytest.fixture(scope="session")
def hadolint() -> Runner:
    binary = _tool("hadolint")
    return lambda args: _run([binary, *args])
