"""Benchmark of a mailing to a large segment through the sandbox provider.

Fills a database with one tenant of N customers in one segment, each with an active SMS
subscription (the sandbox serves every channel without a provider), starts the messaging
service in-process (its send queue and mailing jobs, and the outbox relay to Kafka), asks
for the mailing through GraphQL, and reports:

- queued: how fast the mailing's messages were queued (one message per member);
- sent: how fast the send queue sent them (each recorded by the sandbox, marked
  DELIVERED, counted on the subscription and announced with `message.delivered`);
- final stats: time until `broadcast { status stats }` says SENT with every message counted;
- events: time until the outbox relay had published every `message.delivered` to Kafka.

    make up   # for its PostgreSQL on 54329 and Kafka on 19092
    .venv/bin/python benchmarks/messaging_broadcast.py --members 100000

or with servers of its own, like a test session's (`--own-servers`, honours
CLIENTCARD_TEST_SLOT). The database (`messaging_bench`) is dropped and refilled each run.
"""

import argparse
import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import sqlalchemy as sa
from asgi_lifespan import LifespanManager

from clientcard_contracts.topics import TOPICS
from clientcard_kit.app import create_service_app
from clientcard_kit.auth import issue_dev_token
from clientcard_kit.db import Database, migrations
from clientcard_messaging.service import SERVICE
from clientcard_messaging.settings import MessagingSettings

TENANT = "bench-salon"
DATABASE = "messaging_bench"
MAKE_UP_ADMIN = "host=127.0.0.1 port=54329 user=postgres password=postgres dbname=postgres"
MAKE_UP_URL = "postgresql+psycopg://clientcard:clientcard@127.0.0.1:54329/{name}"
MAKE_UP_KAFKA = "127.0.0.1:19092"

FILL = """
WITH members AS (
  SELECT gen_random_uuid() AS id, n FROM generate_series(1, CAST(:members AS int)) AS n
), customers_added AS (
  INSERT INTO customers (id, tenant_id, phone, segments_version, messengers_version)
  SELECT id, :tenant, '+7916' || lpad(n::text, 7, '0'), 1, 1 FROM members
), members_added AS (
  INSERT INTO segment_members (tenant_id, segment_id, customer_id)
  SELECT :tenant, CAST(:segment AS uuid), id FROM members
)
INSERT INTO subscriptions (tenant_id, customer_id, channel, address, status, is_default,
                           subscribed_at)
SELECT :tenant, id, 'SMS', '+7916' || lpad(n::text, 7, '0'), 'ACTIVE', true, now()
FROM members
"""
CREATE = """mutation($input: BroadcastInput!) { createBroadcast(input: $input) { id status } }"""
STATS = """query($id: ID!) { broadcast(id: $id) {
  status stats { recipients sent delivered read failed replied } } }"""


@dataclass
class Servers:
    admin: str
    url: str
    kafka: str


@contextlib.contextmanager
def servers(own: bool, database: str = DATABASE) -> Iterator[Servers]:
    if not own:
        yield Servers(MAKE_UP_ADMIN, MAKE_UP_URL.format(name=database), MAKE_UP_KAFKA)
        return
    from clientcard_devstack import testservers

    with testservers.postgres_server() as pg, testservers.kafka_server() as kafka:
        yield Servers(pg.admin_conninfo, pg.app_url(database), kafka.bootstrap_servers)


def prepare(target: Servers, members: int) -> tuple[str, float]:
    """A fresh database with the tenant's members; returns the segment id and fill seconds."""
    from clientcard_devstack import postgres

    postgres.recreate_database(target.admin, DATABASE)
    migrations.upgrade(SERVICE.migrations, target.url)
    segment = str(uuid.uuid4())
    started = time.perf_counter()
    engine = sa.create_engine(target.url)
    with engine.begin() as connection:
        connection.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": TENANT})
        connection.execute(
            sa.text(FILL), {"members": members, "tenant": TENANT, "segment": segment}
        )
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            sa.text("VACUUM ANALYZE")
        )
    engine.dispose()
    return segment, time.perf_counter() - started


@contextlib.asynccontextmanager
async def service(settings: MessagingSettings, replicas: int) -> AsyncIterator[httpx.AsyncClient]:
    async with contextlib.AsyncExitStack() as stack:
        apps = [create_service_app(SERVICE, settings) for _ in range(replicas)]
        for app in apps:
            await stack.enter_async_context(LifespanManager(app, startup_timeout=60))
        transport = httpx.ASGITransport(app=apps[0])
        yield await stack.enter_async_context(
            httpx.AsyncClient(transport=transport, base_url="http://messaging", timeout=60)
        )


async def graphql(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    token = issue_dev_token(tenant=TENANT, role="MANAGER", subject="bench")
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    body: dict[str, Any] = response.json()
    if "errors" in body:
        raise RuntimeError(body["errors"])
    data: dict[str, Any] = body["data"]
    return data


async def progress(db: Database, broadcast_id: str) -> tuple[bool, int]:
    """(whether the mailing's messages are queued, how many of the tenant's wait to be sent).

    Cheap on purpose (a flag and the send queue's shrinking length), so that watching the
    run does not slow it down.
    """
    async with db.transaction(TENANT) as session:
        started = await session.scalar(
            sa.text("SELECT started_at IS NOT NULL FROM broadcasts WHERE id = :id"),
            {"id": broadcast_id},
        )
        waiting = await session.scalar(
            sa.text("SELECT count(*) FROM send_queue WHERE tenant_id = :t"), {"t": TENANT}
        )
    return bool(started), int(waiting or 0)


async def unpublished(db: Database) -> int:
    async with db.transaction() as session:
        found = await session.scalar(
            sa.text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        )
    return int(found or 0)


async def measure(target: Servers, members: int, replicas: int, batch: int) -> None:
    segment, fill_seconds = prepare(target, members)
    print(f"filled {members:,} members in {fill_seconds:.1f} s")
    from clientcard_devstack import topics as kafka_topics

    await kafka_topics.create_topics(target.kafka, list(TOPICS))
    settings = MessagingSettings(
        database_url=target.url,
        kafka_bootstrap_servers=target.kafka,
        consumers_enabled=False,
        send_batch_size=batch,
        log_level="WARNING",
        kafka_consumer_group="messaging-bench",
    )
    db = Database(target.url)
    try:
        async with service(settings, replicas) as client:
            started = time.perf_counter()
            created = await graphql(
                client,
                CREATE,
                input={
                    "name": "Бенчмарк",
                    "text": "Скидка 20% до воскресенья",
                    "segmentIds": [segment],
                },
            )
            broadcast_id = created["createBroadcast"]["id"]
            queued_at = sent_at = final_at = events_at = None
            while final_at is None or events_at is None:
                await asyncio.sleep(0.5)
                now = time.perf_counter() - started
                queued, waiting = await progress(db, broadcast_id)
                if queued_at is None and queued:
                    queued_at = now
                if sent_at is None and queued and waiting == 0:
                    sent_at = now
                if sent_at is not None and final_at is None:
                    found = (await graphql(client, STATS, id=broadcast_id))["broadcast"]
                    if found["status"] == "SENT" and found["stats"]["delivered"] == members:
                        final_at, final = now, found
                if final_at is not None and events_at is None and await unpublished(db) == 0:
                    events_at = now
                if now > 900:
                    raise SystemExit(f"gave up after 900 s with {waiting} messages waiting")
    finally:
        await db.dispose()
    if queued_at is None or sent_at is None or final_at is None or events_at is None:
        raise SystemExit("the mailing did not finish")
    print(f"replicas {replicas}, send batch {batch}")
    print("| members | queued in | sent in | msgs/s sent | final stats at | events relayed at |")
    print(
        f"| {members:,} | {queued_at:.1f} s ({members / queued_at:,.0f}/s) | {sent_at:.1f} s | "
        f"{members / sent_at:,.0f} | {final_at:.1f} s | {events_at:.1f} s |"
    )
    print(f"final: {final}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--batch", type=int, default=1000, help="send queue batch size")
    parser.add_argument("--own-servers", action="store_true")
    args = parser.parse_args()
    with servers(args.own_servers) as target:
        asyncio.run(measure(target, args.members, args.replicas, args.batch))


if __name__ == "__main__":
    main()
