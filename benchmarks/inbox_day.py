"""Benchmark of the inbox at a day's volume: bounded by its pruning, consumption unslowed.

Fills the receipts service's inbox as `--days` days of `--per-day` POS receipts would have
left it (event ids processed evenly over those days, so the oldest day is past the
retention of 14 days), then runs the receipts service as its own process and measures
how fast it stores receipts from a backlog of `--receipts` (consuming flat out) for ten
seconds, then while the inbox's pruning job forgets the whole expired day in one run
(the worst case: running every ten minutes, the job finds a tenth of an hour's ids), then
ten seconds more. Reports the inbox before and after, the pruning's pace, and the three rates.

    CLIENTCARD_TEST_SLOT=2 .venv/bin/python benchmarks/inbox_day.py --per-day 200000
"""

import argparse
import asyncio
import time
import uuid
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import cast

import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from receipts_ingest import TENANT, receipt, teach_customers, warm_up
from support import Stack, own_stack, replicas

from clientcard_contracts import topics
from clientcard_kit.db import Database, migrations
from clientcard_kit.events.inbox import prune_expired
from clientcard_receipts.service import SERVICE

CUSTOMERS = 1000
RETENTION = timedelta(days=14)
CONSUMER = "pos-receipts"
WINDOW = 10.0  # seconds of consumption measured before and after the pruning
FILL = sa.text(
    """
    INSERT INTO inbox (consumer, event_id, event_type, processed_at)
    SELECT :consumer, gen_random_uuid()::text, 'pos.receipt',
           now() - make_interval(secs => n * :spacing)
    FROM generate_series(1, :rows) AS n
    """
)
SIZE = sa.text(
    "SELECT count(*) AS rows, pg_total_relation_size('inbox') AS bytes, "
    "count(*) FILTER (WHERE processed_at < :cutoff) AS expired FROM inbox"
)


async def fill(db: Database, days: int, per_day: int) -> float:
    started = time.perf_counter()
    async with db.transaction() as session:
        await session.execute(
            FILL, {"consumer": CONSUMER, "rows": days * per_day, "spacing": 86400 / per_day}
        )
    async with db.engine.connect() as connection:
        await (await connection.execution_options(isolation_level="AUTOCOMMIT")).execute(
            sa.text("VACUUM ANALYZE inbox")
        )
    return time.perf_counter() - started


async def inbox_size(db: Database) -> tuple[int, int, int]:
    async with db.transaction() as session:
        row = (await session.execute(SIZE, {"cutoff": datetime.now(UTC) - RETENTION})).one()
    return int(row.rows), int(row.bytes), int(row.expired)


async def stored(db: Database) -> int:
    async with db.transaction(TENANT) as session:
        return int(await session.scalar(sa.text("SELECT count(*) FROM receipts")) or 0)


async def backlog(bootstrap: str, count: int) -> None:
    """Put `count` receipts on the topic at once, so the service consumes flat out."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        sends = []
        for n in range(count):
            key, body = receipt(n, CUSTOMERS, datetime.now(UTC))
            sends.append(await producer.send(topics.POS_RECEIPTS, body, key=key))
        await asyncio.gather(*sends)
    finally:
        await producer.stop()


async def stored_over(db: Database, window: Awaitable[object]) -> tuple[float, object]:
    """Receipts stored per second while `window` runs, and what it returned."""
    before, started = await stored(db), time.perf_counter()
    result = await window
    return (await stored(db) - before) / (time.perf_counter() - started), result


async def prune(db: Database) -> tuple[int, float]:
    """The pruning job's run with a whole day expired at once: (ids forgotten, seconds)."""
    started = time.perf_counter()
    forgotten = await prune_expired(db, datetime.now(UTC) - RETENTION)
    return forgotten, time.perf_counter() - started


async def run(stack: Stack, days: int, per_day: int, receipts: int) -> None:
    migrations.upgrade(SERVICE.migrations, stack.database_url)
    db = Database(stack.database_url)
    try:
        await teach_customers(db, CUSTOMERS)
        filled_in = await fill(db, days, per_day)
        rows, size, expired = await inbox_size(db)
        print(f"inbox filled with {days} days of {per_day:,} ids in {filled_in:.0f} s")
        print(f"  {rows:,} ids, {size / 2**20:.0f} MiB, {expired:,} past the retention")
        group = f"receipts-inbox-{uuid.uuid4().hex[:8]}"
        # The service's own job would forget the expired day at start: give it nothing to do.
        with replicas("receipts", stack, group, 1, inbox_retention_days=str(days + 30)):
            await warm_up(db, stack.bootstrap_servers)
            await backlog(stack.bootstrap_servers, receipts)
            while await stored(db) < 2000:  # noqa: ASYNC110 - polling the database
                await asyncio.sleep(0.2)
            plain, _ = await stored_over(db, asyncio.sleep(WINDOW))
            during, pruned = await stored_over(db, prune(db))
            after, _ = await stored_over(db, asyncio.sleep(WINDOW))
            if await stored(db) >= receipts:
                print("the backlog ran out during the windows: raise --receipts")
        forgotten, pruned_in = cast(tuple[int, float], pruned)
        rows, size, expired = await inbox_size(db)
    finally:
        await db.dispose()
    print(f"pruning forgot {forgotten:,} ids in {pruned_in:.1f} s ({forgotten / pruned_in:,.0f}/s)")
    print(f"  inbox now {rows:,} ids, {size / 2**20:.0f} MiB, {expired:,} past the retention")
    print("receipts stored per second, consuming a backlog flat out:")
    print(f"  before pruning {plain:,.0f}, while pruning {during:,.0f}, after {after:,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--days", type=int, default=15)
    parser.add_argument("--per-day", type=int, default=200_000)
    parser.add_argument("--receipts", type=int, default=120_000, help="the backlog")
    args = parser.parse_args()
    with own_stack("receipts_inbox") as stack:
        asyncio.run(run(stack, args.days, args.per_day, args.receipts))


if __name__ == "__main__":
    main()
