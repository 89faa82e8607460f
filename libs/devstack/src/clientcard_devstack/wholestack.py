"""The whole system as processes, on servers a caller provides: for end-to-end tests.

`running_system` migrates and starts the four services and the gateway on free ports, with
their own databases on the given PostgreSQL and the given Kafka, waits until each is
ready, and stops them (only the processes it started) when the block ends. Every process
is the real one `make up` runs; only ports, databases and state folder differ.

    with running_system(postgres_server, kafka_server, state_dir) as system:
        httpx.post(system.gateway_url, json={...}, headers={"authorization": ...})
"""

import os
import socket
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx

from clientcard_contracts.topics import SERVICES, TOPICS
from clientcard_devstack import processes
from clientcard_devstack.gateway import gateway_command
from clientcard_devstack.paths import repo_root
from clientcard_devstack.registry import SERVICE_DEFAULTS
from clientcard_devstack.services import LocalService, ServiceSettings
from clientcard_devstack.topics import TopicRequest

HOST = "127.0.0.1"


class DatabaseServer(Protocol):
    def create_database(self, name: str) -> str: ...


class KafkaBroker(Protocol):
    @property
    def bootstrap_servers(self) -> str: ...

    def create_topics_sync(
        self, topics: Iterable[TopicRequest], partitions: int = 1
    ) -> list[str]: ...


@dataclass(slots=True)
class RunningSystem:
    gateway_url: str
    service_urls: dict[str, str]
    kafka_bootstrap_servers: str
    state_dir: Path
    _services: dict[str, LocalService] = field(default_factory=dict)

    def log_tail(self, name: str, lines: int = 40) -> str:
        return processes.tail(self.state_dir / "logs" / f"{name}.log", lines)

    def stop_service(self, name: str) -> None:
        """Stop one service (to see how the rest behaves without it)."""
        self._services[name].stop()

    def kill_service(self, name: str) -> None:
        """kill -9 one service: no shutdown, as a crash or the OOM killer would end it."""
        processes.kill(self._services[name].pid_file)

    def start_service(self, name: str) -> None:
        service = self._services[name]
        service.wait_ready(service.spawn())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_system(
    postgres: DatabaseServer,
    kafka: KafkaBroker,
    state_dir: Path,
    *,
    database_prefix: str = "system",
    environment: dict[str, str] | None = None,
    service_defaults: Mapping[str, tuple[tuple[str, str], ...]] | None = None,
) -> Iterator[RunningSystem]:
    """The four services and the gateway, ready; stopped when the block ends.

    `environment` is added to the gateway's; `service_defaults` to a service's settings
    (names without the prefix, as in `registry.SERVICE_DEFAULTS`).
    """
    kafka.create_topics_sync(list(TOPICS))
    system = RunningSystem(
        gateway_url="",
        service_urls={},
        kafka_bootstrap_servers=kafka.bootstrap_servers,
        state_dir=state_dir,
    )
    ports = {name: free_port() for name in SERVICES}
    # Where each service finds the others it calls (customers' directory, bonuses for tills).
    peers = tuple(
        (f"{peer.upper()}_URL", f"http://{HOST}:{ports[peer]}")
        for peer in ("customers", "bonuses")
        if peer in ports
    )
    with ExitStack() as stack:
        for name in SERVICES:
            service = LocalService(
                ServiceSettings(
                    name=name,
                    port=ports[name],
                    database_url=postgres.create_database(f"{database_prefix}_{name}"),
                    kafka_bootstrap_servers=kafka.bootstrap_servers,
                    host=HOST,
                    defaults=SERVICE_DEFAULTS.get(name, ())
                    + peers
                    # Systems side by side on one broker each read every event of their
                    # own: groups of their own, or they would take each other's messages.
                    + (("KAFKA_CONSUMER_GROUP", f"{database_prefix}-{name}"),)
                    + _own_links(name, ports[name])
                    + (service_defaults or {}).get(name, ()),
                ),
                pid_file=state_dir / "run" / f"{name}.pid",
                log_file=state_dir / "logs" / f"{name}.log",
            )
            service.migrate()
            stack.callback(service.stop)
            service.wait_ready(service.spawn())
            system._services[name] = service
            system.service_urls[name] = f"{service.settings.base_url}/graphql"
        system.gateway_url = _start_gateway(stack, system, environment or {})
        yield system


def _own_links(name: str, port: int) -> tuple[tuple[str, str], ...]:
    """Links a service hands out that lead back to itself: on this system's port, not the
    default one (an export's download link from customers)."""
    if name == "customers":
        return (("EXPORTS_PUBLIC_URL", f"http://{HOST}:{port}"),)
    return ()


def _start_gateway(stack: ExitStack, system: RunningSystem, extra: dict[str, str]) -> str:
    command = gateway_command(repo_root())
    if command is None:
        raise RuntimeError("the gateway is not installed: run `make gateway-install`")
    port = free_port()
    env = {
        **os.environ,
        "GATEWAY_PORT": str(port),
        "GATEWAY_HOST": HOST,
        **{f"{name.upper()}_URL": url for name, url in system.service_urls.items()},
        **extra,
    }
    pid_file = system.state_dir / "run" / "gateway.pid"
    log_file = system.state_dir / "logs" / "gateway.log"
    process = processes.spawn(command, log_file=log_file, pid_file=pid_file, env=env)
    stack.callback(processes.stop, pid_file)
    base = f"http://{HOST}:{port}"
    processes.wait_ready(
        "gateway",
        lambda: _answers(f"{base}/readiness"),
        process=process,
        log_file=log_file,
        timeout=60,
    )
    # The launcher script execs node: record the command line the process has now, or the
    # stop at the end would not recognise the process as the one it started.
    processes.record_current_command(pid_file, process.pid)
    return f"{base}/graphql"


def _answers(url: str) -> str | None:
    try:
        response = httpx.get(url, timeout=2.0)
    except httpx.HTTPError as exc:
        return repr(exc)
    return None if response.status_code == 200 else f"{response.status_code}"
