"""Benchmark of merging duplicate cards on the client list's large tenant.

Needs the tenant `customers_list.py` fills. It works on a copy of that database (made
from it as a template and dropped at the end), so the tenant stays as it was. Pairs of
the tenant's customers are merged one after the other through the service's command
(the customers service's part: notes, manual segments, outlets, the profile, the
duplicate's card erased with its counts, dynamic segments kept, the events written),
then each merge's three answers are taken as the consumer takes them (the survivor's
figures kept, the step ticked off, the last one erasing the duplicate). It reports the
time of each kind, and checks that the tenant's count fell by exactly the merges made.

    make up
    .venv/bin/python benchmarks/customers_list.py --customers 1000000 --runs 30
    .venv/bin/python benchmarks/merging.py --merges 200
"""

import argparse
import asyncio
import statistics
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import psycopg
import sqlalchemy as sa
from customers_list import ADMIN, APP_URL, TENANT

from clientcard_customers.commands.merging import Figures, merge_customers, record_merge_step
from clientcard_customers.db.figures import FigureGroup
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.merging import STEPS
from clientcard_customers.service import SERVICE
from clientcard_kit.db import Database, migrations

COPY = "merge_bench"


def copy_of(source: str) -> None:
    """A copy of the tenant's database; the source must have no connection meanwhile."""
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{COPY}" WITH (FORCE)')
        for attempt in range(30):
            try:
                admin.execute(f'CREATE DATABASE "{COPY}" TEMPLATE "{source}" OWNER clientcard')
                return
            except psycopg.errors.ObjectInUse:
                print(f"  {source} is in use; trying again ({attempt + 1})")
                time.sleep(10)
        raise RuntimeError(f"{source} stayed in use")


def drop_copy() -> None:
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{COPY}" WITH (FORCE)')


def answers(step: str, version: int) -> list[Figures]:
    """What one service's answer carries, as large as the survivor's figures get."""
    now = datetime.now(UTC)
    if step == "receipts":
        values: dict[str, object] = {
            "purchases": 40,
            "revenue": Decimal("120000.00"),
            "average_check": Decimal("3000.00"),
            "last_purchase_at": now,
        }
        return [(FigureGroup.PURCHASES, values, version)]
    if step == "bonuses":
        values = {"bonus_balance": Decimal("2500.00"), "bonuses_expiring_at": None}
        return [(FigureGroup.BONUS_BALANCE, values, version)]
    values = {"messenger_status": "ACTIVE", "default_channel": "TELEGRAM"}
    return [
        (FigureGroup.MESSENGERS, values, version),
        (FigureGroup.NPS, {"last_nps_score": 9}, now),
    ]


def report(what: str, seconds: list[float]) -> None:
    ordered = sorted(seconds)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{what}: {len(ordered)} in {sum(ordered):.1f} s; "
        f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
        f"max {ordered[-1] * 1000:.1f} ms"
    )


async def run(db: Database, merges: int) -> None:
    async with db.transaction(TENANT) as session:
        before = int(await session.scalar(sa.text("SELECT count(*) FROM customers")) or 0)
        chosen = list(
            await session.scalars(
                sa.text("SELECT id FROM customers TABLESAMPLE SYSTEM (1) LIMIT :n"),
                {"n": merges * 2},
            )
        )
    pairs: list[tuple[uuid.UUID, uuid.UUID]] = list(zip(chosen[::2], chosen[1::2], strict=True))
    print(f"merging {len(pairs)} pairs of {before:,} customers")
    merged, answered = [], []
    for survivor, duplicate in pairs:
        started = time.perf_counter()
        async with CustomersUnitOfWork.for_tenant(db, tenant=TENANT, source="bench") as uow:
            await merge_customers(uow, survivor, duplicate)
        merged.append(time.perf_counter() - started)
    for _, duplicate in pairs:
        for step in STEPS:
            started = time.perf_counter()
            async with CustomersUnitOfWork.for_tenant(db, tenant=TENANT, source="bench") as uow:
                await record_merge_step(uow, duplicate, step, answers(step, 10_000))
            answered.append(time.perf_counter() - started)
    report("mergeCustomers (the customers service's transaction)", merged)
    report("an answer taken (figures kept, step ticked, the last one erasing)", answered)
    async with db.transaction(TENANT) as session:
        after = int(await session.scalar(sa.text("SELECT count(*) FROM customers")) or 0)
        finished = await session.scalar(
            sa.text("SELECT count(*) FROM merges WHERE finished_at IS NOT NULL")
        )
    assert before - after == len(pairs), (before, after)
    assert finished == len(pairs), finished
    print(f"{before - after} cards gone, {finished} merges finished")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--database", default="customers_bench")
    parser.add_argument("--merges", type=int, default=200)
    args = parser.parse_args()
    copy_of(args.database)
    try:
        url = APP_URL.format(name=COPY)
        migrations.upgrade(SERVICE.migrations, url)
        db = Database(url, pool_size=2, max_overflow=0)
        try:
            await run(db, args.merges)
        finally:
            await db.dispose()
    finally:
        drop_copy()


if __name__ == "__main__":
    asyncio.run(main())
