"""The servers of a run: PostgreSQL and Kafka of the test slot, one database per service,
and the customers, bonuses and receipts services as processes of their own."""

import asyncio
import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
from support import Stack, free_port, service_process

from clientcard_contracts import topics
from clientcard_kit.db import Database

SERVICES = ("customers", "bonuses", "receipts")


@dataclass
class System:
    urls: dict[str, str]
    databases: dict[str, Database]
    bootstrap: str

    async def dispose(self) -> None:
        for database in self.databases.values():
            await database.dispose()


@contextlib.contextmanager
def own_servers() -> Iterator[dict[str, Stack]]:
    """PostgreSQL and Kafka of the test servers (CLIENTCARD_TEST_SLOT picks the ports)."""
    from clientcard_devstack import testservers

    with testservers.postgres_server() as postgres, testservers.kafka_server() as kafka:
        kafka.create_topics_sync(list(topics.TOPICS))
        yield {
            name: Stack(postgres.create_database(f"{name}_till_bench"), kafka.bootstrap_servers)
            for name in SERVICES
        }


@contextlib.contextmanager
def running_services(stack_of: dict[str, Stack], replicas: int) -> Iterator[dict[str, str]]:
    """`replicas` processes of each service in one consumer group; the URLs of the first."""
    ports = {name: free_port() for name in SERVICES}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    peers = {"customers_url": urls["customers"], "bonuses_url": urls["bonuses"]}
    with contextlib.ExitStack() as running:
        for name in SERVICES:
            group = f"{name}-till-bench-{uuid.uuid4().hex[:6]}"
            for replica in range(replicas):
                port = ports[name] if replica == 0 else free_port()
                running.enter_context(
                    service_process(name, stack_of[name], group, port=str(port), **peers)
                )
        yield urls


async def wait_ready(urls: dict[str, str]) -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        for url in urls.values():
            for _ in range(240):
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"{url}/readyz")).status_code == 200:
                        break
                await asyncio.sleep(0.5)
            else:
                raise SystemExit(f"{url} never became ready")
