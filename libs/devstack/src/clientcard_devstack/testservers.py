"""Real PostgreSQL and Kafka servers for tests: in containers, or started here.

Where a Docker engine answers, testcontainers runs them. Elsewhere the launcher's own code
starts them on the tests' ports (PostgreSQL 54339, Kafka 19192 and 19193) in the tests'
state folder, so a test never touches the data of a running `make up`. Their data is
fresh for every test session; the Kafka jars are the launcher's cached ones.

CLIENTCARD_TEST_SERVERS=local|docker forces one way (default: auto).
CLIENTCARD_TEST_SLOT=n gives a test session its own folder and ports, for sessions run at once.
"""

import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg

from clientcard_devstack import postgres
from clientcard_devstack import topics as kafka_topics
from clientcard_devstack.asyncio_bridge import run_sync
from clientcard_devstack.docker_probe import docker_reachable
from clientcard_devstack.errors import StackError
from clientcard_devstack.kafka import KafkaSettings, LocalKafka
from clientcard_devstack.paths import StateLayout, repo_root
from clientcard_devstack.topics import TopicRequest

MODE_ENV = "CLIENTCARD_TEST_SERVERS"
SLOT_ENV = "CLIENTCARD_TEST_SLOT"
TEST_POSTGRES_PORT = 54339
TEST_KAFKA_PORT = 19192
TEST_KAFKA_CONTROLLER_PORT = 19193
POSTGRES_IMAGE = os.environ.get("CLIENTCARD_TEST_POSTGRES_IMAGE", "postgres:16-alpine")
KAFKA_IMAGE = os.environ.get("CLIENTCARD_TEST_KAFKA_IMAGE", "confluentinc/cp-kafka:7.6.0")


@dataclass(frozen=True, slots=True)
class PostgresServer:
    """A PostgreSQL server for tests, with the services' unprivileged role on it."""

    host: str
    port: int
    admin_url: str  # superuser, SQLAlchemy form: postgresql+psycopg://...
    admin_conninfo: str  # the same for psycopg
    app_user: str = postgres.APP_USER
    app_password: str = postgres.APP_PASSWORD
    # The server's process when it runs here (not in a container): the fault suite stops it.
    local: postgres.LocalPostgres | None = None

    def app_url(self, database: str) -> str:
        return (
            f"postgresql+psycopg://{self.app_user}:{self.app_password}"
            f"@{self.host}:{self.port}/{database}"
        )

    def create_database(self, name: str) -> str:
        """A new, empty database owned by the app role; its SQLAlchemy URL for that role."""
        postgres.recreate_database(self.admin_conninfo, name)
        return self.app_url(name)


@dataclass(frozen=True, slots=True)
class KafkaServer:
    bootstrap_servers: str
    local: LocalKafka | None = None

    async def create_topics(self, topics: Iterable[TopicRequest], partitions: int = 1) -> list[str]:
        """Create the missing topics; returns the names it created.

        `topics` holds names (with `partitions` each), (name, partitions) pairs, or specs
        with `.name` and `.partitions` such as `clientcard_contracts.topics.TOPICS`.
        Returns once every partition has a leader.
        """
        return await kafka_topics.create_topics(
            self.bootstrap_servers, topics, partitions=partitions
        )

    def create_topics_sync(self, topics: Iterable[TopicRequest], partitions: int = 1) -> list[str]:
        """The same, from synchronous code (it runs its own loop in a worker thread)."""
        wanted = list(topics)
        return run_sync(
            lambda: kafka_topics.create_topics(
                self.bootstrap_servers, wanted, partitions=partitions
            )
        )


def use_containers() -> bool:
    mode = os.environ.get(MODE_ENV, "auto").strip().lower()
    if mode not in ("auto", "local", "docker"):
        raise StackError(f"{MODE_ENV} must be auto, local or docker, not {mode!r}")
    return mode == "docker" or (mode == "auto" and docker_reachable())


def _worker_layout_and_offset() -> tuple[StateLayout, int]:
    # Under pytest-xdist every worker is a session of its own: own folder, own ports.
    # CLIENTCARD_TEST_SLOT=n does the same for test sessions started side by side by hand.
    slot = os.environ.get(SLOT_ENV, "").strip()
    if slot:
        if not slot.isdigit() or not 1 <= int(slot) <= 50:
            raise StackError(f"{SLOT_ENV} must be a number from 1 to 50, not {slot!r}")
        return StateLayout.for_tests(f"slot{slot}"), 10 * (50 + int(slot))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    offset = 10 * (int(worker.removeprefix("gw")) + 1) if worker.startswith("gw") else 0
    return StateLayout.for_tests(worker), offset


# -- PostgreSQL ---------------------------------------------------------------------------


@contextmanager
def postgres_server(*, durable: bool = False) -> Iterator[PostgresServer]:
    """The server; `durable` keeps every commit through a crash (tests switch it off for
    speed: with `synchronous_commit=off` a crash loses the last commits acknowledged)."""
    context = _container_postgres() if use_containers() else _local_postgres(durable)
    with context as server:
        postgres.ensure_app_role(server.admin_conninfo)
        yield server


@contextmanager
def _local_postgres(durable: bool) -> Iterator[PostgresServer]:
    layout, offset = _worker_layout_and_offset()
    layout.ensure()
    settings = postgres.PostgresSettings(
        directory=layout.postgres, port=TEST_POSTGRES_PORT + offset, durable=durable
    )
    server = postgres.LocalPostgres(
        settings, layout.pid_file("postgres"), layout.log_file("postgres")
    )
    server.stop()  # one left behind by a test session that was killed
    shutil.rmtree(settings.directory, ignore_errors=True)
    layout.log_file("postgres").unlink(missing_ok=True)
    server.start()
    try:
        yield PostgresServer(
            host=settings.host,
            port=settings.port,
            admin_url=settings.admin_url(),
            admin_conninfo=postgres.admin_conninfo(settings),
            local=server,
        )
    finally:
        server.stop()


@contextmanager
def _container_postgres() -> Iterator[PostgresServer]:
    try:  # testcontainers 4.15 moved its modules; older releases have them at the top
        from testcontainers.community.postgres import PostgresContainer
    except ImportError:
        from testcontainers.postgres import PostgresContainer

    with PostgresContainer(POSTGRES_IMAGE, driver="psycopg") as container:
        host = container.get_container_host_ip()
        port = int(container.get_exposed_port(5432))
        conninfo = psycopg.conninfo.make_conninfo(
            host=host,
            port=port,
            user=container.username,
            password=container.password,
            dbname=container.dbname,
        )
        yield PostgresServer(
            host=host,
            port=port,
            admin_url=container.get_connection_url(),
            admin_conninfo=conninfo,
        )


# -- Kafka --------------------------------------------------------------------------------


@contextmanager
def kafka_server() -> Iterator[KafkaServer]:
    context = _container_kafka() if use_containers() else _local_kafka()
    with context as server:
        yield server


@contextmanager
def _local_kafka() -> Iterator[KafkaServer]:
    layout, offset = _worker_layout_and_offset()
    layout.ensure()
    settings = KafkaSettings(
        directory=layout.kafka,
        libs=layout.kafka_libs,
        deploy_dir=repo_root() / "deploy" / "kafka",
        port=TEST_KAFKA_PORT + offset,
        controller_port=TEST_KAFKA_CONTROLLER_PORT + offset,
        quick_start=True,
    )
    server = LocalKafka(settings, layout.pid_file("kafka"), layout.log_file("kafka"))
    server.stop()
    shutil.rmtree(settings.directory, ignore_errors=True)
    layout.log_file("kafka").unlink(missing_ok=True)
    server.start()
    try:
        yield KafkaServer(settings.bootstrap_servers, local=server)
    finally:
        server.stop()


@contextmanager
def _container_kafka() -> Iterator[KafkaServer]:
    try:
        from testcontainers.community.kafka import KafkaContainer
    except ImportError:
        from testcontainers.kafka import KafkaContainer

    with KafkaContainer(KAFKA_IMAGE).with_kraft() as container:
        yield KafkaServer(container.get_bootstrap_server())
