"""The development stack as a whole: what `up`, `down` and `status` do, in order."""

import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Protocol

import httpx

from clientcard_contracts.topics import TOPICS
from clientcard_devstack import gateway, observability, processes, web
from clientcard_devstack.errors import StackError
from clientcard_devstack.kafka import KafkaSettings, LocalKafka
from clientcard_devstack.paths import StateLayout, repo_root
from clientcard_devstack.postgres import (
    LocalPostgres,
    PostgresSettings,
    admin_conninfo,
    ensure_app_role,
    ensure_databases,
)
from clientcard_devstack.registry import (
    COMPONENTS,
    GATEWAY_PORT,
    HOST,
    KAFKA_CONTROLLER_PORT,
    KAFKA_PORT,
    POSTGRES_PORT,
    SERVICE_DEFAULTS,
    SERVICE_PORTS,
    WEB_PORT,
    Component,
)
from clientcard_devstack.services import LocalService, ServiceSettings, is_present


class Reporter(Protocol):
    """Where `up` tells what each component is doing."""

    def step(self, component: str, message: str) -> None: ...
    def done(self, component: str, message: str) -> None: ...
    def failed(self, component: str, message: str) -> None: ...
    def skipped(self, component: str, message: str) -> None: ...


@dataclass(frozen=True, slots=True)
class ComponentStatus:
    component: Component
    state: str  # running / stopped / not available
    pid: int | None
    log_file: Path


@dataclass(slots=True)
class DevStack:
    layout: StateLayout = field(default_factory=StateLayout.development)
    repo: Path = field(default_factory=repo_root)

    @property
    def postgres(self) -> LocalPostgres:
        settings = PostgresSettings(directory=self.layout.postgres, port=POSTGRES_PORT, host=HOST)
        return LocalPostgres(settings, *self._files("postgres"))

    @property
    def kafka(self) -> LocalKafka:
        settings = KafkaSettings(
            directory=self.layout.kafka,
            libs=self.layout.kafka_libs,
            deploy_dir=self.repo / "deploy" / "kafka",
            port=KAFKA_PORT,
            controller_port=KAFKA_CONTROLLER_PORT,
            host=HOST,
        )
        return LocalKafka(settings, *self._files("kafka"))

    def service(self, name: str) -> LocalService:
        settings = ServiceSettings(
            name=name,
            port=SERVICE_PORTS[name],
            database_url=self.postgres.settings.app_url(name),
            kafka_bootstrap_servers=self.kafka.settings.bootstrap_servers,
            host=HOST,
            defaults=SERVICE_DEFAULTS.get(name, ()),
        )
        return LocalService(settings, *self._files(name))

    def _files(self, name: str) -> tuple[Path, Path]:
        return self.layout.pid_file(name), self.layout.log_file(name)

    def present_services(self) -> list[str]:
        return [name for name in SERVICE_PORTS if is_present(self.repo, name)]

    def complete(self) -> bool:
        """Whether every service and the gateway are running (what seeding needs)."""
        return all(
            item.state == "running"
            for item in self.status()
            if item.component.kind in ("service", "gateway")
        )

    # -- up ---------------------------------------------------------------------------

    def up(self, reporter: Reporter) -> bool:
        """Start what is not running yet; True when everything available is ready."""
        self.layout.ensure()
        # Both servers boot in parallel: most of the time goes to the JVM and to initdb.
        with ThreadPoolExecutor(max_workers=2) as pool:
            postgres = pool.submit(
                _guard, "postgres", lambda: self._postgres_up(reporter), reporter
            )
            kafka = pool.submit(_guard, "kafka", lambda: self._kafka_up(reporter), reporter)
            results = [postgres.result(), kafka.result()]
        if not all(results):
            for name in [*SERVICE_PORTS, "gateway"]:
                reporter.skipped(name, "not started: the infrastructure is not up")
            return False
        # Before the services and the gateway, which then export their traces to it.
        traces_ok = not observability.traces_wanted(self.layout) or self._watch("traces", reporter)
        services_ok = self._services_up(reporter)
        gateway_ok = self._gateway_up(reporter, services_ok) and services_ok
        web_ok = self._web_up(reporter, gateway_ok) and gateway_ok
        # Watching the stack is not part of it: a Prometheus that cannot start is reported,
        # and the stack is up all the same.
        self._watch("prometheus", reporter)
        return web_ok and traces_ok

    def _postgres_up(self, reporter: Reporter) -> None:
        postgres = self.postgres
        if postgres.running():
            reporter.step("postgres", "already running; checking role and databases")
        else:
            postgres.start(reporter.step)
        conninfo = admin_conninfo(postgres.settings)
        ensure_app_role(conninfo)
        created = ensure_databases(conninfo, list(SERVICE_PORTS))
        note = f", created databases {', '.join(created)}" if created else ""
        reporter.done("postgres", f"ready on {HOST}:{POSTGRES_PORT}{note}")

    def _kafka_up(self, reporter: Reporter) -> None:
        kafka = self.kafka
        if kafka.running():
            reporter.step("kafka", "already running; checking topics")
        else:
            kafka.start(reporter.step)
        created = kafka.create_topics(TOPICS)
        note = f", created {len(created)} topics" if created else ""
        reporter.done("kafka", f"ready on {kafka.settings.bootstrap_servers}{note}")

    def _services_up(self, reporter: Reporter) -> bool:
        starting: dict[str, subprocess.Popen[bytes] | None] = {}
        ok = True
        for name in SERVICE_PORTS:
            if not is_present(self.repo, name):
                reporter.skipped(name, "not in the repository yet")
            elif self.service(name).running():
                reporter.step(name, "already running")
                starting[name] = None
            else:
                ok &= _guard(
                    name, partial(self._migrate_and_spawn, name, reporter, starting), reporter
                )
        # They boot side by side; waiting for one after the other costs no extra time.
        for name, process in starting.items():
            reporter.step(name, "waiting for /readyz")
            ok &= _guard(name, partial(self._service_ready, name, process, reporter), reporter)
        return ok

    def _migrate_and_spawn(
        self, name: str, reporter: Reporter, starting: dict[str, "subprocess.Popen[bytes] | None"]
    ) -> None:
        service = self.service(name)
        # Before the migrations: a taken port is the likelier problem, and quicker to tell.
        processes.ensure_port_free(name, HOST, service.settings.port)
        service.migrate(reporter.step)
        starting[name] = service.spawn(reporter.step)

    def _service_ready(
        self, name: str, process: "subprocess.Popen[bytes] | None", reporter: Reporter
    ) -> None:
        service = self.service(name)
        service.wait_ready(process)
        reporter.done(name, f"ready at {service.settings.base_url}/graphql")

    def _gateway_up(self, reporter: Reporter, services_ok: bool) -> bool:
        command = gateway.gateway_command(self.repo)
        if command is None:
            reporter.skipped("gateway", "not in the repository yet")
            return True
        if not services_ok:
            reporter.skipped("gateway", "not started: a subgraph is not ready")
            return False
        return _guard("gateway", partial(self._start_gateway, command, reporter), reporter)

    def _start_gateway(self, command: list[str], reporter: Reporter) -> None:
        pid_file, log_file = self._files("gateway")
        process = None
        if processes.running(pid_file) is None:
            processes.ensure_port_free("gateway", HOST, GATEWAY_PORT)
            reporter.step("gateway", f"starting on port {GATEWAY_PORT}")
            process = processes.spawn(command, log_file=log_file, pid_file=pid_file, cwd=self.repo)
        processes.wait_ready(
            "gateway",
            lambda: _http_ready(gateway.READY_URL),
            process=process,
            log_file=log_file,
            timeout=90.0,
        )
        if process is not None:
            # The launcher script execs node: record the command line the process has now.
            processes.record_current_command(pid_file, process.pid)
        reporter.done("gateway", f"ready at {gateway.GRAPHQL_URL}")

    def _web_up(self, reporter: Reporter, gateway_ok: bool) -> bool:
        if not web.is_built(self.repo):
            reporter.skipped("web", "not built: run `make web-build`")
            return True
        if not gateway_ok:
            reporter.skipped("web", "not started: the gateway is not ready")
            return False
        return _guard("web", partial(self._start_web, reporter), reporter)

    def _start_web(self, reporter: Reporter) -> None:
        pid_file, log_file = self._files("web")
        process = None
        if processes.running(pid_file) is None:
            processes.ensure_port_free("web", HOST, WEB_PORT)
            reporter.step("web", f"starting on port {WEB_PORT}")
            command = web.web_command(self.repo)
            process = processes.spawn(command, log_file=log_file, pid_file=pid_file, cwd=self.repo)
        wait = partial(_http_ready, web.READY_URL)
        processes.wait_ready("web", wait, process=process, log_file=log_file, timeout=60.0)
        reporter.done("web", f"ready at {web.URL}/clients")

    def _watch(self, name: str, reporter: Reporter) -> bool:
        say = (partial(reporter.step, name), partial(reporter.done, name))
        start = partial(observability.STARTERS[name], self.repo, self.layout, *say)
        return _guard(name, start, reporter)

    # -- down and status ---------------------------------------------------------------

    def down(self) -> list[tuple[str, processes.StopOutcome]]:
        outcomes: list[tuple[str, processes.StopOutcome]] = []
        for component in reversed(COMPONENTS):
            outcomes.append((component.name, self._stop(component)))
        return outcomes

    def _stop(self, component: Component) -> processes.StopOutcome:
        if component.kind == "postgres":
            return self.postgres.stop()
        if component.kind == "kafka":
            return self.kafka.stop()
        return processes.stop(self.layout.pid_file(component.name), timeout=20.0)

    def status(self) -> list[ComponentStatus]:
        return [self._status(component) for component in COMPONENTS]

    def _status(self, component: Component) -> ComponentStatus:
        record = processes.running(self.layout.pid_file(component.name))
        if record is not None:
            state = "running"
        elif not self._available(component):
            state = "not available"
        else:
            state = "stopped"
        pid = record.pid if record else None
        return ComponentStatus(component, state, pid, self.layout.log_file(component.name))

    def _available(self, component: Component) -> bool:
        if component.kind == "service":
            return is_present(self.repo, component.name)
        if component.kind == "gateway":
            return gateway.gateway_command(self.repo) is not None
        if component.kind == "web":
            return web.is_built(self.repo)
        return True


def _guard(name: str, action: Callable[[], None], reporter: Reporter) -> bool:
    """Run one component's step; a failure is reported against it instead of raised, so
    that `up` can say what did come up and what did not."""
    try:
        action()
    except StackError as exc:
        reporter.failed(name, str(exc))
        return False
    except Exception as exc:  # a driver's error (psycopg, aiokafka): still that component's
        reporter.failed(name, f"{type(exc).__name__}: {exc}")
        return False
    return True


def _http_ready(url: str) -> str | None:
    try:
        response = httpx.get(url, timeout=2.0)
    except httpx.HTTPError as exc:
        return repr(exc)
    return None if response.status_code == 200 else f"answered {response.status_code}"
