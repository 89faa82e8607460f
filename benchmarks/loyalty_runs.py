"""Benchmark of the loyalty program's runs on a tenant of a million clients.

Fills the bonuses service's own database with one tenant of N accounts as the service
keeps them (a balance, the spend of the last 365 days spread from 0 to 120,000, birth
month and day spread over the year, February 29 among them), with a program that gives a
birthday bonus. Then times, with the service's own commands:

- the day's birthday run: finding everyone whose bonus is due today in the tenant's time
  zone among the million and accruing it (lots, ledger lines, events), batch after batch
  until none is left, and a second run of the same day (which must give nothing);
- placing every account in new tiers after the owner changes them: the background run,
  batch after batch, each account locked, moved and announced (BonusTierChanged) when
  its tier changed;
- with `--receipts`, sales applied meanwhile (batches of 100 to random accounts, as the
  ledger consumer applies them, in a process of their own) alone for 20 s and then during
  the tiers run: receipts/s, to see whether the run's locks slow them (both share the
  machine's two cores with PostgreSQL, so the rate also falls by the CPU the run takes).

    make up   # for its PostgreSQL on 54329
    .venv/bin/python benchmarks/loyalty_runs.py --customers 1000000

or with servers of its own (`--own-servers`, honours CLIENTCARD_TEST_SLOT). The database
(`bonuses_loyalty_bench`) is dropped and refilled on every run.
"""

import argparse
import asyncio
import contextlib
import multiprocessing
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event as EventType
from typing import TypeVar

import sqlalchemy as sa
from support import Stack, dev_stack, own_stack

from clientcard_bonuses.commands import apply_receipts, loyalty_runs, update_loyalty_program
from clientcard_bonuses.db.unit_of_work import SOURCE, BonusesUnitOfWork
from clientcard_bonuses.domain.program import LoyaltyChanges, ProgramChanges
from clientcard_bonuses.domain.tiers import TierInput
from clientcard_bonuses.service import SERVICE
from clientcard_contracts.events.receipts import ReceiptRegistered
from clientcard_kit.db import Database, migrations

T = TypeVar("T")
TENANT = "bench-salon"
DATABASE = "bonuses_loyalty_bench"

FILL = """
WITH people AS (
  SELECT gen_random_uuid() AS id, n FROM generate_series(1, CAST(:customers AS int)) AS n
), accounts AS (
  INSERT INTO bonus_accounts (tenant_id, customer_id, balance, accrued, spend, welcomed,
                              created_at, updated_at)
  SELECT :tenant, id, (n % 2000)::numeric(14, 2), (n % 2000)::numeric(14, 2),
         ((n::bigint * 7919) % 120000)::numeric(14, 2), true, now(), now()
  FROM people
)
INSERT INTO customer_birthdays (tenant_id, customer_id, month, day, version)
SELECT :tenant, id, extract(month FROM born)::int, extract(day FROM born)::int, 1
FROM (SELECT id, date '2000-01-01' + ((n::bigint * 104729) % 366)::int AS born FROM people) AS b
"""
PROGRAM = """
INSERT INTO loyalty_programs (tenant_id, accrual_percent, max_redeem_percent, expiry_days,
  welcome_bonus, birthday_bonus, birthday_days_before, time_zone, updated_at, updated_by)
VALUES (:tenant, 5, 30, 365, 0, 300, 0, 'Europe/Moscow', now(), 'bench')
"""
TIERS = (
    TierInput("Silver", Decimal("10000.00"), Decimal("7.00")),
    TierInput("Gold", Decimal("50000.00"), Decimal("10.00")),
    TierInput("Platinum", Decimal("100000.00"), Decimal("12.00")),
)
COUNT_EVENTS = "SELECT count(*) FROM outbox WHERE event_type = :type"
SAMPLE = "SELECT customer_id FROM bonus_accounts TABLESAMPLE SYSTEM (2) LIMIT 20000"
RECEIPTS_PER_BATCH = 100


@contextlib.contextmanager
def stack(own: bool) -> Iterator[Stack]:
    with own_stack(DATABASE) if own else dev_stack(DATABASE) as servers:
        yield servers


def fill(url: str, customers: int) -> float:
    migrations.upgrade(SERVICE.migrations, url)
    started = time.perf_counter()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": TENANT})
        connection.execute(sa.text(FILL), {"customers": customers, "tenant": TENANT})
        connection.execute(sa.text(PROGRAM), {"tenant": TENANT})
        connection.execute(sa.text("INSERT INTO bonus_tenants VALUES (:t)"), {"t": TENANT})
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            sa.text("VACUUM ANALYZE")
        )
    engine.dispose()
    return time.perf_counter() - started


async def until_done(step: Callable[[], Awaitable[int]]) -> tuple[float, int, int]:
    """Call `step` until it does nothing: seconds, work done, calls."""
    started, done, calls = time.perf_counter(), 0, 0
    while True:
        calls += 1
        did = await step()
        done += did
        if not did:
            return time.perf_counter() - started, done, calls


async def events(db: Database, event_type: str) -> int:
    async with db.transaction() as session:
        return int(await session.scalar(sa.text(COUNT_EVENTS), {"type": event_type}) or 0)


def sale(customer: uuid.UUID, at: datetime) -> ReceiptRegistered:
    receipt = uuid.uuid4()
    return ReceiptRegistered.model_validate(
        {
            "tenantId": TENANT,
            "customerId": str(customer),
            "occurredAt": at.isoformat(),
            "receiptId": str(receipt),
            "type": "SALE",
            "posId": "pos-1",
            "outletId": "outlet-1",
            "number": f"R-{receipt.hex[:8]}",
            "purchasedAt": at.isoformat(),
            "items": [
                {"name": "Стрижка", "quantity": "1.000", "price": "1500.00", "amount": "1500.00"}
            ],
            "total": "1500.00",
            "paid": "1500.00",
            "bonusesSpent": "0.00",
            "purchaseStats": {
                "version": 1,
                "purchases": 1,
                "returns": 0,
                "revenue": "1500.00",
                "averageCheck": "1500.00",
            },
        }
    )


async def receipts_load(url: str, customers: list[uuid.UUID], stop: EventType) -> int:
    """Apply batches of sales until `stop` is set; returns how many."""
    db = Database(url)
    applied = 0
    while not stop.is_set():
        batch = [
            sale(random.choice(customers), datetime.now(UTC)) for _ in range(RECEIPTS_PER_BATCH)
        ]
        async with BonusesUnitOfWork.for_tenant(db, tenant=TENANT, source=SOURCE) as uow:
            applied += await apply_receipts(uow, batch)
            await uow.commit()
    await db.dispose()
    return applied


def receipts_process(
    url: str, customers: list[uuid.UUID], stop: EventType, counted: "Queue[int]"
) -> None:
    counted.put(asyncio.run(receipts_load(url, customers, stop)))


async def with_receipts(
    url: str, customers: list[uuid.UUID], work: Awaitable[T]
) -> tuple[T, float]:
    """Await `work` with sales applied meanwhile by a process of their own (a replica of
    the ledger consumer): its result and the receipts/s."""
    stop = multiprocessing.Event()
    counted: Queue[int] = multiprocessing.Queue()
    load = multiprocessing.Process(target=receipts_process, args=(url, customers, stop, counted))
    load.start()
    started = time.perf_counter()
    result = await work
    stop.set()
    applied = int(counted.get())
    load.join()
    return result, applied / (time.perf_counter() - started)


async def measure(url: str, receipts: bool) -> None:
    db = Database(url)
    # 09:00 in Moscow on a fixed day: the same count of birthdays due on every run.
    day = datetime(2027, 3, 15, 6, 0, tzinfo=UTC)
    try:
        seconds, given, calls = await until_done(lambda: loyalty_runs.birthday_bonuses(db, day))
        print(f"birthday run: {given} bonuses in {seconds:.2f} s ({calls} batches)")
        seconds, again, _ = await until_done(
            lambda: loyalty_runs.birthday_bonuses(db, day + timedelta(hours=1))
        )
        print(f"the same day again: {again} bonuses in {seconds:.2f} s")

        changes = ProgramChanges(loyalty=LoyaltyChanges(tiers=TIERS))
        async with BonusesUnitOfWork.for_tenant(db, tenant=TENANT, source=SOURCE) as uow:
            await update_loyalty_program(uow, changes, "bench")
        run = until_done(lambda: loyalty_runs.review_tiers(db, day))
        if receipts:
            async with db.transaction(TENANT) as session:
                customers = list(await session.scalars(sa.text(SAMPLE)))
            _, alone = await with_receipts(url, customers, asyncio.sleep(20))
            print(f"receipts alone: {alone:.0f}/s")
            (seconds, placed, calls), during = await with_receipts(url, customers, run)
            print(f"receipts during the tiers run: {during:.0f}/s")
        else:
            seconds, placed, calls = await run
        changed = await events(db, "bonuses.tier.changed.v1")
        print(
            f"tiers run: {placed} accounts placed in {seconds:.1f} s ({calls} batches), "
            f"{changed} tier changes announced"
        )
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--own-servers", action="store_true")
    parser.add_argument("--receipts", action="store_true", help="sales during the tiers run")
    args = parser.parse_args()
    with stack(args.own_servers) as servers:
        seconds = fill(servers.database_url, args.customers)
        print(f"filled {args.customers} accounts in {seconds:.1f} s")
        asyncio.run(measure(servers.database_url, args.receipts))


if __name__ == "__main__":
    main()
