"""What the benchmark scripts share: where the servers come from, and running a service.

A script runs against servers of its own (the test servers, on the ports and folder of
CLIENTCARD_TEST_SLOT) or against the stack of `make up`, in a database it recreates.
Services run as real processes, the command `make up` and the images run.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg

from clientcard_contracts import topics

DEV_ADMIN = "host=127.0.0.1 port=54329 user=postgres password=postgres dbname=postgres"
DEV_URL = "postgresql+psycopg://clientcard:clientcard@127.0.0.1:54329/{name}"
DEV_KAFKA = "127.0.0.1:19092"


@dataclass(frozen=True)
class Stack:
    database_url: str
    bootstrap_servers: str


@contextlib.contextmanager
def own_stack(database: str) -> Iterator[Stack]:
    """PostgreSQL and Kafka of the test servers (CLIENTCARD_TEST_SLOT picks the ports)."""
    from clientcard_devstack import testservers

    with testservers.postgres_server() as postgres, testservers.kafka_server() as kafka:
        kafka.create_topics_sync(list(topics.TOPICS))
        yield Stack(postgres.create_database(database), kafka.bootstrap_servers)


@contextlib.contextmanager
def dev_stack(database: str) -> Iterator[Stack]:
    """The servers of `make up`, in a fresh database of that name."""
    with psycopg.connect(DEV_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}" OWNER clientcard')
    yield Stack(DEV_URL.format(name=database), DEV_KAFKA)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def service_process(
    name: str, stack: Stack, group: str, **settings: str
) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m clientcard_<name> serve` on the stack; SIGTERM and a wait at the end."""
    prefix = name.upper()
    environment = {
        **os.environ,
        f"{prefix}_DATABASE_URL": stack.database_url,
        f"{prefix}_KAFKA_BOOTSTRAP_SERVERS": stack.bootstrap_servers,
        f"{prefix}_KAFKA_CONSUMER_GROUP": group,
        f"{prefix}_PORT": str(free_port()),
        f"{prefix}_LOG_LEVEL": "WARNING",
        **{f"{prefix}_{key.upper()}": value for key, value in settings.items()},
    }
    process = subprocess.Popen(
        [sys.executable, "-m", f"clientcard_{name}", "serve"], env=environment
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def replicas(name: str, stack: Stack, group: str, count: int, **settings: str) -> Iterator[None]:
    """Replicas of a service in one consumer group, as a deployment scales it."""
    with contextlib.ExitStack() as running:
        for _ in range(count):
            running.enter_context(service_process(name, stack, group, **settings))
        yield
