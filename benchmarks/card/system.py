"""Where the parts of the running system are: the repository, the services' addresses and
the processes whose CPU a run counts."""

from pathlib import Path

from clientcard_contracts.topics import SERVICES
from clientcard_devstack import processes
from clientcard_devstack.paths import repo_root
from clientcard_devstack.wholestack import RunningSystem

ROOT = repo_root()


def base_url(system: RunningSystem, service: str) -> str:
    return system.service_urls[service].removesuffix("/graphql")


def pids_of(pid_file: Path) -> list[int]:
    record = processes.read_pid_file(pid_file)
    return [record.pid] if record else []


def service_pids(system: RunningSystem) -> dict[str, list[int]]:
    return {name: pids_of(system.state_dir / "run" / f"{name}.pid") for name in SERVICES}
