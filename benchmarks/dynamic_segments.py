"""Benchmark of dynamic segments on the client list's large tenant.

Needs the tenant `customers_list.py` fills (run it first; this reuses its database). It
creates 20 dynamic segments through the service's command, timing each (every match
joins, every member is announced), then applies 10,000 figure changes the way the
figures consumer does (batches of one group, each in one transaction with the
segments' upkeep), and reports how long they took to be reflected. Last, it checks that
every segment holds exactly what its filter counts.

    make up
    .venv/bin/python benchmarks/customers_list.py --customers 1000000 --runs 30
    .venv/bin/python benchmarks/dynamic_segments.py --changes 10000
"""

import argparse
import asyncio
import random
import time
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from customers_list import APP_URL, TENANT

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers import commands
from clientcard_customers.commands.figures import keep_figures
from clientcard_customers.db.figures import FigureGroup, FigureUpdate
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import ClientFilter, NpsCategory
from clientcard_customers.domain.records import Segment
from clientcard_customers.service import SERVICE
from clientcard_kit.db import Database, migrations

BATCH = 100


def filters() -> list[ClientFilter]:
    """Twenty filters a salon would keep, a few percent of the tenant each."""
    found = [ClientFilter(bonus_balance_min=Decimal(1900 + 10 * n)) for n in range(4)] + [
        ClientFilter(purchases_min=36 + n, has_messenger=True) for n in range(3)
    ]
    found += [ClientFilter(birth_month=month, gender=Gender.FEMALE) for month in (1, 4, 7, 10)]
    found += [
        ClientFilter(nps_category=NpsCategory.PROMOTER),
        ClientFilter(nps_category=NpsCategory.DETRACTOR, outlet_ids=("center",)),
        ClientFilter(revenue_min=Decimal("100000"), channel="TELEGRAM"),
        ClientFilter(average_check_min=Decimal("3400")),
        ClientFilter(registration_sources=(RegistrationSource.WEB,), purchases_min=30),
        ClientFilter(search="петрова1", has_messenger=True),
        ClientFilter(bonus_balance_max=Decimal("5"), purchases_min=20),
        ClientFilter(messenger_status="INACTIVE", purchases_min=35),
        ClientFilter(birthday_within_days=3),
    ]
    return found


async def create(db: Database, how_many: int) -> list[Segment]:
    made = []
    for index, wanted in enumerate(filters()[:how_many]):
        started = time.perf_counter()
        async with CustomersUnitOfWork.for_tenant(db, tenant=TENANT, source="bench") as uow:
            segment = await commands.create_segment(
                uow, f"Динамический {index + 1} {uuid.uuid4().hex[:4]}", wanted
            )
        async with CustomersUnitOfWork.for_tenant(db, tenant=TENANT, source="bench") as uow:
            members = (await uow.segments.counts([segment.id])).get(segment.id, 0)
        seconds = time.perf_counter() - started
        print(f"  created {index + 1:>2}: {members:>7,} members in {seconds:.1f} s")
        made.append(segment)
    return made


def changes(
    customers: list[uuid.UUID], count: int, seed: int
) -> list[tuple[FigureGroup, FigureUpdate]]:
    """Balances and purchases as bonuses and receipts would send them, newer each time."""
    chosen = random.Random(seed)
    made: list[tuple[FigureGroup, FigureUpdate]] = []
    stamp = 1_000_000
    for _ in range(count):
        stamp += 1
        customer = chosen.choice(customers)
        if chosen.random() < 0.5:
            values: dict[str, object] = {
                "bonus_balance": Decimal(chosen.randint(0, 2100)),
                "bonuses_expiring_at": None,
            }
            made.append((FigureGroup.BONUS_BALANCE, (customer, values, stamp)))
        else:
            purchases = chosen.randint(0, 40)
            values = {
                "purchases": purchases,
                "revenue": Decimal(purchases * 3000),
                "average_check": Decimal(3000 if purchases else 0),
                "last_purchase_at": datetime.now(UTC) if purchases else None,
            }
            made.append((FigureGroup.PURCHASES, (customer, values, stamp)))
    return made


async def apply(db: Database, stream: list[tuple[FigureGroup, FigureUpdate]]) -> float:
    started = time.perf_counter()
    for start in range(0, len(stream), BATCH):
        batch = stream[start : start + BATCH]
        for group in (FigureGroup.BONUS_BALANCE, FigureGroup.PURCHASES):
            updates = [update for kind, update in batch if kind is group]
            if updates:
                async with db.transaction(TENANT) as session:
                    await keep_figures(session, TENANT, group, updates)
    return time.perf_counter() - started


async def check(db: Database, segments: list[Segment]) -> None:
    for segment in segments:
        assert segment.filter is not None
        async with CustomersUnitOfWork.for_tenant(db, tenant=TENANT, source="bench") as uow:
            counted = await uow.client_list.count(segment.filter, date.today())
            held = (await uow.segments.counts([segment.id])).get(segment.id, 0)
        assert counted == held, f"{segment.name}: filter counts {counted}, segment holds {held}"
    print(f"every segment holds exactly what its filter counts ({len(segments)} checked)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--database", default="customers_bench")
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--segments", type=int, default=20, help="0: the figures alone")
    args = parser.parse_args()
    url = APP_URL.format(name=args.database)
    migrations.upgrade(SERVICE.migrations, url)
    db = Database(url, pool_size=2, max_overflow=0)
    try:
        async with db.transaction(TENANT) as session:
            await session.execute(sa.text("DELETE FROM segments WHERE filter IS NOT NULL"))
            customers = list(await session.scalars(sa.text("SELECT id FROM customers")))
        print(f"creating {args.segments} dynamic segments on {len(customers):,} customers")
        segments = await create(db, args.segments)
        stream = changes(customers, args.changes, args.seed)
        seconds = await apply(db, stream)
        print(
            f"{args.changes:,} figure changes reflected in {seconds:.1f} s "
            f"({args.changes / seconds:,.0f}/s, batches of {BATCH})"
        )
        await check(db, segments)
    finally:
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
