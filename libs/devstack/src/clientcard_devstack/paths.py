"""Where the stack keeps its files: the repository, the state folder and its parts."""

import os
from dataclasses import dataclass
from pathlib import Path

STATE_DIR_ENV = "CLIENTCARD_STATE_DIR"
_MARKER = Path("deploy") / "kafka" / "pom.xml"


def repo_root() -> Path:
    """The repository this package belongs to.

    The package is installed in editable mode from `libs/devstack/src`, so the repository is
    four folders up; when it is not (a copied wheel), the current folder or one of its
    parents must be the repository.
    """
    here = Path(__file__).resolve()
    candidates = [here.parents[4], *Path.cwd().resolve().parents, Path.cwd().resolve()]
    for candidate in candidates:
        if (candidate / _MARKER).is_file():
            return candidate
    raise FileNotFoundError(f"no clientcard repository (with {_MARKER}) around {Path.cwd()}")


def default_state_dir() -> Path:
    override = os.environ.get(STATE_DIR_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return repo_root() / ".state"


@dataclass(frozen=True, slots=True)
class StateLayout:
    """Files of one stack instance: `make up` uses `.state/`, the tests `.state/test/`.

    The Kafka jars are shared by every instance, so that they are downloaded only once.
    """

    root: Path
    kafka_libs: Path

    @classmethod
    def development(cls) -> "StateLayout":
        root = default_state_dir()
        return cls(root=root, kafka_libs=root / "kafka" / "libs")

    @classmethod
    def for_tests(cls, worker: str = "") -> "StateLayout":
        shared = default_state_dir()
        root = shared / "test" / worker if worker else shared / "test"
        return cls(root=root, kafka_libs=shared / "kafka" / "libs")

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def postgres(self) -> Path:
        return self.root / "postgres"

    @property
    def kafka(self) -> Path:
        return self.root / "kafka"

    def log_file(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def pid_file(self, name: str) -> Path:
        return self.run / f"{name}.pid"

    def ensure(self) -> None:
        for folder in (self.root, self.logs, self.run):
            folder.mkdir(parents=True, exist_ok=True)
