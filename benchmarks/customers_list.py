"""Benchmark of the client list on a large tenant.

Fills a database with one tenant of N customers (realistic figures, segments, birthdays),
then times the service's own list query (`ClientList.page` and `.count`, the code the
`customers(...)` resolver runs) for representative filters and orders, first page and a
deep page, and prints p50/p95 per case.

    make up   # for its PostgreSQL on 54329
    .venv/bin/python benchmarks/customers_list.py --customers 1000000

The database (`customers_bench` by default) is dropped and refilled unless --reuse, which
applies any newer migrations to the filled database and vacuums it.
"""

import argparse
import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date

import psycopg
import sqlalchemy as sa
from customers_list_cases import Case, cases

from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import (
    ClientFilter,
    ClientOrder,
    Position,
)
from clientcard_customers.service import SERVICE
from clientcard_kit.db import Database, migrations

TENANT = "bench-salon"
ADMIN = "host=127.0.0.1 port=54329 user=postgres password=postgres dbname=postgres"
APP_URL = "postgresql+psycopg://clientcard:clientcard@127.0.0.1:54329/{name}"
SEGMENTS = 20
FIRST_NAMES = ["Анна", "Мария", "Ольга", "Елена", "Ирина", "Сергей", "Андрей", "Дмитрий"]
FIRST_NAMES += ["Алексей", "Наталья"]
LAST_NAMES = ["Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Соколов", "Лебедев"]
LAST_NAMES += ["Козлов", "Новиков", "Морозова"]

FILL = """
INSERT INTO customers (
  id, tenant_id, phone, email, first_name, last_name, name_key, search_text, birth_date,
  birth_month_day, outlet_id, gender, registered_at, source, questionnaire, version, updated_at,
  purchases, revenue, average_check, last_purchase_at, purchases_version,
  bonus_balance, bonus_balance_version, messenger_status, default_channel,
  messengers_version, last_nps_score, nps_as_of)
SELECT
  gen_random_uuid(), :tenant, '+7916' || lpad(n::text, 7, '0'),
  CASE WHEN n % 3 = 0 THEN 'client' || n || '@example.ru' END,
  first, last, lower_last || ' ' || lower_first,
  ' ' || lower_first || ' ' || lower_last || ' 7916' || lpad(n::text, 7, '0')
    || ' 8916' || lpad(n::text, 7, '0')
    || CASE WHEN n % 3 = 0 THEN ' client' || n || '@example.ru client' || n || ' example ru'
       ELSE '' END,
  birth, extract(month from birth) * 100 + extract(day from birth),
  -- Outlets by a hash: a salon's outlets say nothing of who answers surveys (n % 5).
  (ARRAY['center', 'mall', 'station', 'airport', 'market'])[1 + abs(hashint8(n + 1)) % 5],
  CASE WHEN n % 10 < 5 THEN 'FEMALE' WHEN n % 10 < 9 THEN 'MALE' ELSE 'UNKNOWN' END,
  now() - (n % 1500) * interval '1 day' - (n % 86400) * interval '1 second',
  (ARRAY['POS', 'POS', 'MANUAL', 'MESSENGER', 'WEB', 'IMPORT', 'POS'])[1 + n % 7], '[]', 1, now(),
  p, (p * (500 + n % 3000))::numeric(14,2), CASE WHEN p > 0 THEN (500 + n % 3000) ELSE 0 END,
  CASE WHEN p > 0 THEN now() - (n % 365) * interval '1 day' END, 1,
  (n % 2000)::numeric(14,2), 1,
  CASE WHEN n % 4 = 0 THEN NULL WHEN n % 4 = 1 THEN 'INACTIVE' ELSE 'ACTIVE' END,
  (ARRAY[NULL,'TELEGRAM','WHATSAPP','VIBER','SMS'])[1 + n % 5], 1,
  CASE WHEN n % 5 = 0 THEN n % 11 END, CASE WHEN n % 5 = 0 THEN now() END
FROM (
  SELECT n, (n * 7919) % 40 AS p, date '1960-01-01' + ((n * 37) % 20000)::int AS birth,
    (:first_names)[1 + n % 10] AS first, (:last_names)[1 + surname] || n AS last,
    (:first_folded)[1 + n % 10] AS lower_first,
    (:last_folded)[1 + surname] || n AS lower_last
  FROM generate_series(CAST(:start AS bigint), CAST(:stop AS bigint)) AS n
  -- Surnames drawn by a hash of n, not in runs: customers sharing a surname are spread over
  -- the table as in a real tenant, so a count finds them on every page, not on a few.
  CROSS JOIN LATERAL (SELECT abs(hashint8(n)) % 10 AS surname) AS drawn
) AS generated
"""


SEGMENT_MEMBERS = """
INSERT INTO customer_segments (tenant_id, customer_id, segment_id, assigned_at)
SELECT :tenant, id, (:segments)[1 + abs(hashtext(id::text)) % cardinality(:segments)], now()
FROM customers WHERE abs(hashtext(id::text)) % 10 = 0
"""


async def fill(db: Database, customers: int) -> list[uuid.UUID]:
    segment_ids = [uuid.uuid4() for _ in range(SEGMENTS)]
    batch = 100_000
    for start in range(1, customers + 1, batch):
        async with db.transaction(TENANT) as session:
            stop = min(start + batch - 1, customers)
            await session.execute(
                sa.text(FILL).bindparams(
                    sa.bindparam("first_names", type_=sa.ARRAY(sa.Text)),
                    sa.bindparam("last_names", type_=sa.ARRAY(sa.Text)),
                    sa.bindparam("first_folded", type_=sa.ARRAY(sa.Text)),
                    sa.bindparam("last_folded", type_=sa.ARRAY(sa.Text)),
                ),
                {
                    "tenant": TENANT,
                    "start": start,
                    "stop": stop,
                    "first_names": FIRST_NAMES,
                    "last_names": LAST_NAMES,
                    # Folded here, as the service folds search text, not by the server.
                    "first_folded": [name.casefold() for name in FIRST_NAMES],
                    "last_folded": [name.casefold() for name in LAST_NAMES],
                },
            )
        print(f"  {stop:>9,} customers", flush=True)
    async with db.transaction(TENANT) as session:
        for index, segment_id in enumerate(segment_ids):
            await session.execute(
                sa.text(
                    "INSERT INTO segments (id, tenant_id, name, created_at) "
                    "VALUES (:id, :tenant, :name, now())"
                ),
                {"id": segment_id, "tenant": TENANT, "name": f"Сегмент {index + 1}"},
            )
        await session.execute(
            sa.text(SEGMENT_MEMBERS).bindparams(sa.bindparam("segments", type_=sa.ARRAY(sa.Uuid))),
            {"tenant": TENANT, "segments": segment_ids},
        )
    await vacuum(db)
    return segment_ids


async def vacuum(db: Database) -> None:
    """Statistics for the planner and the visibility map that index-only counts rely on."""
    async with db.engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(sa.text("VACUUM ANALYZE"))


async def deep_position(db: Database, order: ClientOrder) -> Position:
    """The cursor of the 10,000th customer in the order, as paging there would give."""
    async with CustomersUnitOfWork.for_tenant(db, tenant=TENANT, source="bench") as uow:
        position: Position | None = None
        for _ in range(50):
            rows = await uow.client_list.page(ClientFilter(), order, 200, position, date.today())
            position = rows[199][1]
    assert position is not None
    return position


async def timed(runs: int, call: Callable[[], Awaitable[object]]) -> list[float]:
    await call()  # warm the caches once, as a running service has them warm
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure(db: Database, case: Case, runs: int) -> tuple[float, float, float, float]:
    after = await deep_position(db, case.order) if case.deep else None
    today = date.today()

    async def page() -> object:
        async with CustomersUnitOfWork.for_tenant(db, tenant=TENANT, source="bench") as uow:
            return await uow.client_list.page(case.filter, case.order, 50, after, today)

    async def count() -> object:
        async with CustomersUnitOfWork.for_tenant(db, tenant=TENANT, source="bench") as uow:
            return await uow.client_list.count(case.filter, today)

    pages, counts = await timed(runs, page), await timed(runs, count)
    return (
        percentile(pages, 0.5),
        percentile(pages, 0.95),
        percentile(counts, 0.5),
        percentile(counts, 0.95),
    )


def recreate(name: str) -> None:
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" OWNER clientcard')


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--database", default="customers_bench")
    parser.add_argument("--reuse", action="store_true", help="keep the filled database")
    parser.add_argument("--only", default="", help="time only the cases whose name has this")
    args = parser.parse_args()

    url = APP_URL.format(name=args.database)
    if not args.reuse:
        recreate(args.database)
    # A reused database gets the migrations added since it was filled.
    migrations.upgrade(SERVICE.migrations, url)
    db = Database(url, pool_size=2, max_overflow=0)
    try:
        if args.reuse:
            await vacuum(db)
            async with db.transaction(TENANT) as session:
                segment_ids = list(await session.scalars(sa.text("SELECT id FROM segments")))
        else:
            started = time.perf_counter()
            print(f"filling {args.customers:,} customers of one tenant")
            segment_ids = await fill(db, args.customers)
            print(f"filled in {time.perf_counter() - started:.0f} s")
        print(f"\n{'case':<58} {'page p50':>9} {'page p95':>9} {'count p50':>10} {'count p95':>10}")
        for case in (case for case in cases(segment_ids) if args.only in case.name):
            p50, p95, c50, c95 = await measure(db, case, args.runs)
            print(f"{case.name:<58} {p50:>7.1f}ms {p95:>7.1f}ms {c50:>8.1f}ms {c95:>8.1f}ms")
    finally:
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
