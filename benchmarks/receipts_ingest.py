"""Benchmark of POS receipt ingestion over Kafka: receipts/s stored and published, and lag.

Starts the receipts service as its own process (`python -m clientcard_receipts serve`,
consumers and outbox relay on), teaches it a set of customers, publishes N POS receipts to
`pos.receipts.v1` (by phone, like tills do; one in ten is a partial return of an earlier
sale), and watches the database until every receipt is stored and every
`receipt.registered` event is published to Kafka. It then checks that none was lost or
duplicated and prints:

- sustained ingestion: receipts stored per second, from the first stored to the last;
- sustained publishing: events marked published per second, likewise;
- end-to-end lag p50/p99: from the moment a receipt was sent (its `purchasedAt`) to it
  being stored, and to its event being on Kafka.

    # servers of its own (test slot ports and folder), nothing else touched:
    CLIENTCARD_TEST_SLOT=2 .venv/bin/python benchmarks/receipts_ingest.py --receipts 100000
    # or the stack of `make up` (PostgreSQL 54329, Kafka 19092):
    .venv/bin/python benchmarks/receipts_ingest.py --stack dev
    # with the service exporting 1 % of its traces (a POS message starts a trace):
    CLIENTCARD_TEST_SLOT=2 .venv/bin/python benchmarks/receipts_ingest.py --tracing 1
"""

import argparse
import asyncio
import json
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from support import Stack, dev_stack, own_stack, replicas

from clientcard_contracts import topics
from clientcard_contracts.events.receipts import ReceiptRegistered
from clientcard_devstack.otlp import exporting_traces
from clientcard_kit.db import Database, migrations
from clientcard_receipts.service import SERVICE

TENANT = "bench-shop"
WARM_UP_TENANT = "bench-warm-up"
POS_COUNT = 20
RETURN_EVERY = 10


def phone(n: int) -> str:
    return f"+7915{n:07d}"


async def teach_customers(db: Database, customers: int) -> None:
    """The projection of customers.v1 as the customers' registrations would leave it."""
    async with db.transaction(TENANT) as session:
        await session.execute(
            sa.text(
                "INSERT INTO known_customers (id, tenant_id, phone, version) "
                "SELECT gen_random_uuid(), :tenant, '+7915' || lpad(n::text, 7, '0'), 1 "
                "FROM generate_series(0, :last) AS n"
            ),
            {"tenant": TENANT, "last": customers - 1},
        )


def receipt(n: int, customers: int, sent_at: datetime) -> tuple[bytes, bytes]:
    """The n-th POS message (key, body): a sale, or every tenth a partial return."""
    # Runs of ten receipts per POS; the last of each run returns part of the one before.
    pos = f"pos-{(n // RETURN_EVERY) % POS_COUNT}"
    is_return = n % RETURN_EVERY == RETURN_EVERY - 1
    customer = phone(n % customers)
    original = n - 1 if is_return else None
    if original is not None:
        customer = phone(original % customers)
        lines = [{"name": "Чай", "quantity": "1", "price": "100.00", "amount": "100.00"}]
    else:
        lines = [
            {"sku": "T-1", "name": "Чай", "quantity": "1", "price": "100.00", "amount": "100.00"},
            {"name": "Сыр", "quantity": "0.350", "price": "1000.00", "amount": "350.00"},
            {"name": "Хлеб", "quantity": "2", "price": "75.00", "amount": "150.00"},
        ]
    total = f"{sum(float(line['amount']) for line in lines):.2f}"
    document: dict[str, Any] = {
        "tenantId": TENANT,
        "posId": pos,
        "outletId": f"shop-{n % 4}",
        "number": f"R-{n}",
        "type": "RETURN" if original is not None else "SALE",
        "purchasedAt": sent_at.isoformat(),
        "customer": {"phone": customer},
        "items": lines,
        "total": total,
        "paid": total,
    }
    if original is not None:
        document["originalNumber"] = f"R-{original}"
    return customer.encode(), json.dumps(document, ensure_ascii=False).encode()


async def publish(bootstrap: str, count: int, customers: int, rate: float | None) -> float:
    """Send every receipt, paced to `rate` per second when given; returns seconds taken."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_batch_size=262144
    )
    await producer.start()
    started = time.perf_counter()
    try:
        pending = []
        for n in range(count):
            if rate:
                ahead = started + n / rate - time.perf_counter()
                if ahead > 0:
                    await asyncio.sleep(ahead)
            key, body = receipt(n, customers, datetime.now(UTC))
            pending.append(await producer.send(topics.POS_RECEIPTS, body, key=key))
            if len(pending) >= 5000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return time.perf_counter() - started


async def warm_up(db: Database, bootstrap: str) -> None:
    """Wait until the service consumes (a receipt of another tenant is stored), so that the
    lag measured is the pipeline's and not the service's start-up."""
    _, body = receipt(0, 1, datetime.now(UTC))
    document = {**json.loads(body), "tenantId": WARM_UP_TENANT}
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topics.POS_RECEIPTS, json.dumps(document).encode())
    finally:
        await producer.stop()
    while True:
        async with db.transaction(WARM_UP_TENANT) as session:
            if await session.scalar(sa.text("SELECT count(*) FROM receipts")):
                return
        await asyncio.sleep(0.2)


PROGRESS = sa.text(
    "SELECT (SELECT count(*) FROM receipts) AS stored, "
    "(SELECT count(*) FROM outbox WHERE published_at IS NOT NULL) AS published"
)
FIGURES = sa.text(
    """
    SELECT count(*) AS receipts, count(DISTINCT (pos_id, number)) AS distinct_receipts,
      extract(epoch FROM max(registered_at) - min(registered_at)) AS storing_seconds,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY registered_at - purchased_at) AS stored_p50,
      percentile_cont(0.99) WITHIN GROUP (ORDER BY registered_at - purchased_at) AS stored_p99
    FROM receipts
    """
)
EVENTS = sa.text(
    """
    SELECT count(*) AS events, count(DISTINCT data->>'receiptId') AS distinct_events,
      count(*) FILTER (WHERE published_at IS NULL) AS unpublished,
      extract(epoch FROM max(published_at) - min(published_at)) AS publishing_seconds,
      percentile_cont(0.5) WITHIN GROUP (
        ORDER BY published_at - (data->>'purchasedAt')::timestamptz) AS published_p50,
      percentile_cont(0.99) WITHIN GROUP (
        ORDER BY published_at - (data->>'purchasedAt')::timestamptz) AS published_p99
    FROM outbox WHERE event_type = :type
    """
)


async def wait_for(db: Database, count: int, deadline: float) -> None:
    last = (-1, -1)
    while time.monotonic() < deadline:
        async with db.transaction(TENANT) as session:
            progress = (await session.execute(PROGRESS)).one()
        stored, published = int(progress.stored), int(progress.published)
        if (stored, published) != last:
            print(f"  stored {stored:>7}  published {published:>7}", flush=True)
            last = (stored, published)
        if stored >= count and published >= count:
            return
        await asyncio.sleep(1.0)
    raise SystemExit(f"gave up waiting: stored/published {last} of {count}")


def seconds(value: timedelta) -> str:
    return f"{value.total_seconds() * 1000:.0f} ms"


async def report(db: Database, count: int, published_in: float) -> bool:
    async with db.transaction(TENANT) as session:
        stored = (await session.execute(FIGURES)).one()
        events = (await session.execute(EVENTS, {"type": ReceiptRegistered.TYPE})).one()
    storing = float(stored.storing_seconds or 0) or 1e-9
    publishing = float(events.publishing_seconds or 0) or 1e-9
    print(f"published {count} POS receipts to Kafka in {published_in:.1f} s")
    print(f"stored:    {stored.receipts} receipts ({stored.distinct_receipts} distinct)")
    print(f"events:    {events.events} receipt.registered ({events.distinct_events} distinct)")
    print(f"storing:   {stored.receipts / storing:,.0f} receipts/s over {storing:.1f} s")
    print(f"publishing: {events.events / publishing:,.0f} events/s over {publishing:.1f} s")
    print(f"lag to stored:    p50 {seconds(stored.stored_p50)}  p99 {seconds(stored.stored_p99)}")
    print(
        f"lag to published: p50 {seconds(events.published_p50)}  "
        f"p99 {seconds(events.published_p99)}"
    )
    exact = (
        stored.receipts == stored.distinct_receipts == count
        and events.events == events.distinct_events == count
        and events.unpublished == 0
    )
    print("none lost, none duplicated" if exact else "COUNTS DO NOT MATCH")
    return bool(exact)


async def run(stack: Stack, args: argparse.Namespace) -> bool:
    migrations.upgrade(SERVICE.migrations, stack.database_url)
    db = Database(stack.database_url)
    try:
        await teach_customers(db, args.customers)
        group = f"receipts-bench-{uuid.uuid4().hex[:8]}"
        with replicas("receipts", stack, group, args.replicas):
            await warm_up(db, stack.bootstrap_servers)
            published_in = await publish(
                stack.bootstrap_servers, args.receipts, args.customers, args.rate
            )
            await wait_for(db, args.receipts, time.monotonic() + args.timeout)
        return await report(db, args.receipts, published_in)
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--receipts", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=None, help="receipts/s to send at")
    parser.add_argument("--replicas", type=int, default=1, help="service processes")
    parser.add_argument("--stack", choices=("own", "dev"), default="own")
    parser.add_argument("--database", default="receipts_bench")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument(
        "--tracing",
        type=float,
        default=None,
        metavar="PERCENT",
        help="the service exports this share of the traces it starts over OTLP (default: off)",
    )
    args = parser.parse_args()
    stack = own_stack if args.stack == "own" else dev_stack
    with ExitStack() as context:
        if args.tracing is not None:
            endpoint = context.enter_context(exporting_traces(args.tracing))
            print(f"tracing {args.tracing:g} % of the traces the service starts to {endpoint}")
        servers = context.enter_context(stack(args.database))
        exact = asyncio.run(run(servers, args))
    raise SystemExit(0 if exact else 1)


if __name__ == "__main__":
    main()
