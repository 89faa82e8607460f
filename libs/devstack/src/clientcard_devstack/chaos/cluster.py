"""The system the suite breaks: servers of its own, every process real, and its faults."""

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from clientcard_contracts.topics import SERVICES
from clientcard_devstack import processes, testservers
from clientcard_devstack.errors import StackError
from clientcard_devstack.kafka import LocalKafka
from clientcard_devstack.postgres import LocalPostgres
from clientcard_devstack.wholestack import RunningSystem, running_system

DATABASE_PREFIX = "chaos"
# A test slot of its own: the suite never touches the servers of a test session or of
# `make up`, and may run beside either.
DEFAULT_SLOT = "7"
BROKER, DATABASE = "kafka", "postgres"
FAULTS = (*SERVICES, BROKER, DATABASE)
# A mailing goes out at 20 messages a second, so that it is still sending when the
# fault strikes rather than done in a few milliseconds.
SERVICE_SETTINGS = {"messaging": (("SANDBOX_MESSAGES_PER_SECOND", "20"),)}


@dataclass(slots=True)
class Cluster:
    system: RunningSystem
    postgres: LocalPostgres
    kafka: LocalKafka
    admin_conninfo: str

    def database(self, service: str) -> str:
        """The superuser's connection string for a service's database (reads past RLS)."""
        return psycopg.conninfo.make_conninfo(
            self.admin_conninfo, dbname=f"{DATABASE_PREFIX}_{service}"
        )

    def kill(self, target: str) -> None:
        """The fault: kill -9 a service or the broker; an immediate stop of PostgreSQL."""
        if target == BROKER:
            processes.kill(self.kafka.pid_file)
        elif target == DATABASE:
            # SIGQUIT is PostgreSQL's immediate shutdown: every backend quits at once,
            # nothing is checkpointed, and the next start replays the write-ahead log.
            processes.kill(self.postgres.pid_file, sig=signal.SIGQUIT)
        else:
            self.system.kill_service(target)

    def restart(self, target: str) -> float:
        """Start the process again; the seconds until it is ready."""
        started = time.monotonic()
        if target == BROKER:
            self.kafka.start()
        elif target == DATABASE:
            self.postgres.start()
        else:
            self.system.start_service(target)
        return time.monotonic() - started


@contextmanager
def running_cluster(state_dir: Path) -> Iterator[Cluster]:
    os.environ.setdefault(testservers.SLOT_ENV, DEFAULT_SLOT)
    if testservers.use_containers():
        raise StackError("the fault suite kills its servers' processes: it runs them itself")
    # Durable as in production: the test servers' `synchronous_commit=off` loses the last
    # acknowledged commits to an immediate stop, which no design above it could make good.
    with (
        testservers.postgres_server(durable=True) as pg,
        testservers.kafka_server() as kafka,
    ):
        if pg.local is None or kafka.local is None:
            raise StackError("the fault suite needs PostgreSQL and Kafka as local processes")
        with running_system(
            pg,
            kafka,
            state_dir,
            database_prefix=DATABASE_PREFIX,
            service_defaults=SERVICE_SETTINGS,
        ) as system:
            yield Cluster(system, pg.local, kafka.local, pg.admin_conninfo)
