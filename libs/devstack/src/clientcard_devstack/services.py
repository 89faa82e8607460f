"""The four Python services: migrations, then `serve`, each configured by its own prefix."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from clientcard_devstack import processes
from clientcard_devstack.errors import StackError
from clientcard_devstack.progress import NO_PROGRESS, Progress


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    name: str
    port: int
    database_url: str
    kafka_bootstrap_servers: str
    host: str = "127.0.0.1"
    # Settings of the service's own (names without the prefix) that the launcher chooses;
    # a variable already set in the environment wins.
    defaults: tuple[tuple[str, str], ...] = ()

    @property
    def module(self) -> str:
        return f"clientcard_{self.name}"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def environment(self) -> dict[str, str]:
        prefix = self.name.upper()
        return {
            **{f"{prefix}_{key}": value for key, value in self.defaults},
            **os.environ,
            f"{prefix}_DATABASE_URL": self.database_url,
            f"{prefix}_KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap_servers,
            f"{prefix}_PORT": str(self.port),
            f"{prefix}_HOST": self.host,
            f"{prefix}_ENVIRONMENT": "development",
        }

    def argv(self, command: str) -> list[str]:
        return [sys.executable, "-m", self.module, command]


def is_present(repo: Path, name: str) -> bool:
    """Whether the service has been written yet (its package can be run with -m)."""
    return (repo / "services" / name / "src" / f"clientcard_{name}" / "__main__.py").is_file()


def check_ready(settings: ServiceSettings) -> str | None:
    try:
        response = httpx.get(f"{settings.base_url}/readyz", timeout=2.0)
    except httpx.HTTPError as exc:
        return f"GET /readyz failed: {exc!r}"
    if response.status_code == 200:
        return None
    return f"GET /readyz answered {response.status_code}: {response.text[:200]}"


@dataclass(slots=True)
class LocalService:
    settings: ServiceSettings
    pid_file: Path
    log_file: Path

    @property
    def name(self) -> str:
        return self.settings.name

    def running(self) -> bool:
        return processes.running(self.pid_file) is not None

    def migrate(self, progress: Progress = NO_PROGRESS, timeout: float = 180.0) -> None:
        progress(self.name, "running database migrations")
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            try:
                result = subprocess.run(
                    self.settings.argv("migrate"),
                    env=self.settings.environment(),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    timeout=timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise StackError(
                    f"{self.name}: migrations did not finish in {timeout:.0f} s",
                    log_tail=processes.tail(self.log_file),
                ) from exc
        if result.returncode != 0:
            raise StackError(
                f"{self.name}: migrations failed (exit code {result.returncode})",
                log_tail=processes.tail(self.log_file),
            )

    def spawn(self, progress: Progress = NO_PROGRESS) -> "subprocess.Popen[bytes]":
        processes.ensure_port_free(self.name, self.settings.host, self.settings.port)
        progress(self.name, f"starting on port {self.settings.port}")
        return processes.spawn(
            self.settings.argv("serve"),
            log_file=self.log_file,
            pid_file=self.pid_file,
            env=self.settings.environment(),
        )

    def wait_ready(self, process: "subprocess.Popen[bytes] | None", timeout: float = 90.0) -> None:
        processes.wait_ready(
            self.name,
            lambda: check_ready(self.settings),
            process=process,
            log_file=self.log_file,
            timeout=timeout,
            interval=0.3,
        )

    def stop(self, timeout: float = 20.0) -> processes.StopOutcome:
        return processes.stop(self.pid_file, timeout=timeout)
