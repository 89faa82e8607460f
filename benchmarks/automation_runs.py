"""Benchmark of the day's bonus-expiry reminders on a tenant of a million clients.

Fills messaging's own database with one tenant of N customers as the service keeps them
(first name, bonus balance, when their next bonuses burn and how much, from bonuses'
events) with their subscriptions (7 in 10 an active SMS, 1 in 10 unsubscribed, the rest
none), burns spread evenly over the next `--days` days. The BONUS_EXPIRY automation (3
days before) runs once for the day before, then the run of each measured day is timed:
finding everyone whose reminder day has come among the million and queuing their
messages (texts filled, the send queue spread by the channel's rate) or counting them
unreachable. The run is the service's own (`run_automations`, one tick).

    make up   # for its PostgreSQL on 54329
    .venv/bin/python benchmarks/automation_runs.py --customers 1000000

or with servers of its own (`--own-servers`, honours CLIENTCARD_TEST_SLOT). The database
(`messaging_automations_bench`) is dropped and refilled unless `--reuse`, which measures
the days after the last one run in it.
"""

import argparse
import asyncio
import contextlib
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from support import DEV_URL, Stack, dev_stack, own_stack

from clientcard_contracts.enums import AutomationKind
from clientcard_kit.db import Database, migrations, set_tenant
from clientcard_messaging.channels.registry import Providers
from clientcard_messaging.commands.automation_runs import run_automations
from clientcard_messaging.db.unit_of_work import SOURCE, MessagingUnitOfWork
from clientcard_messaging.domain.automations import automation
from clientcard_messaging.service import SERVICE
from clientcard_messaging.settings import MessagingSettings

TENANT = "bench-salon"
DATABASE = "messaging_automations_bench"
REMIND_DAYS = 3

FILL = """
WITH people AS (
  SELECT gen_random_uuid() AS id, n FROM generate_series(1, CAST(:customers AS int)) AS n
), customers_added AS (
  INSERT INTO customers (id, tenant_id, phone, profile_version, first_name, bonus_balance,
                         next_expiry_at, next_expiry_amount, bonuses_version)
  SELECT id, :tenant, '+7916' || lpad(n::text, 7, '0'), 1,
         (ARRAY['Анна', 'Мария', 'Ольга', 'Сергей', 'Андрей'])[1 + n % 5],
         (100 + n % 2000)::numeric(14, 2),
         CAST(:start AS timestamptz) + (n % CAST(:days AS int)) * interval '1 day'
           + ((n::bigint * 7919) % 86400) * interval '1 second',
         (50 + n % 500)::numeric(14, 2), 1
  FROM people
)
INSERT INTO subscriptions (tenant_id, customer_id, channel, address, status, is_default,
                           subscribed_at)
SELECT :tenant, id, 'SMS', '+7916' || lpad(n::text, 7, '0'),
       CASE WHEN n % 10 < 7 THEN 'ACTIVE' ELSE 'INACTIVE' END, n % 10 < 7, now()
FROM people WHERE n % 10 < 8
"""
LAST_RUN = "SELECT max(decided_at) FROM automation_occasions"
OUTCOMES = """
SELECT count(*) FILTER (WHERE outcome = 'QUEUED'), count(*) FILTER (WHERE outcome = 'UNREACHABLE')
FROM automation_occasions WHERE decided_at = :at
"""


@contextlib.contextmanager
def stack(own: bool) -> Iterator[Stack]:
    with own_stack(DATABASE) if own else dev_stack(DATABASE) as servers:
        yield servers


def fill(url: str, customers: int, days: int, start: datetime) -> float:
    migrations.upgrade(SERVICE.migrations, url)
    started = time.perf_counter()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": TENANT})
        connection.execute(
            sa.text(FILL),
            {"customers": customers, "tenant": TENANT, "days": days, "start": start},
        )
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            sa.text("VACUUM ANALYZE")
        )
    engine.dispose()
    return time.perf_counter() - started


async def enable_reminders(db: Database, now: datetime) -> None:
    reminder = automation(
        AutomationKind.BONUS_EXPIRY,
        enabled=True,
        text="{firstName}, {expiringDate} сгорят {expiringAmount} бонусов",
        delay_days=REMIND_DAYS,
        channel=None,
    )
    async with db.sessions() as session, session.begin():
        await set_tenant(session, TENANT)
        uow = MessagingUnitOfWork.joining(session, tenant=TENANT, source=SOURCE)
        await uow.automations.save(reminder, now)
        await uow.automations.look_at_tenant(now)


async def day(db: Database, providers: Providers, at: datetime) -> tuple[float, int, int]:
    """The day's run at `at`: seconds, messages queued, clients unreachable."""
    started = time.perf_counter()
    while await run_automations(db.sessions, providers, at):
        pass
    seconds = time.perf_counter() - started
    async with db.transaction(TENANT) as session:
        queued, unreachable = (await session.execute(sa.text(OUTCOMES), {"at": at})).one()
    return seconds, int(queued), int(unreachable)


async def measure(url: str, days: int) -> None:
    db = Database(url)
    providers = Providers(MessagingSettings(database_url=url))
    today = datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0)
    try:
        async with db.transaction(TENANT) as session:
            last = await session.scalar(sa.text(LAST_RUN))
        if last is None:
            await enable_reminders(db, today - timedelta(days=1))
            seconds, queued, unreachable = await day(db, providers, today - timedelta(days=1))
            print(f"the day before: {queued} queued, {unreachable} unreachable in {seconds:.2f} s")
        first = today if last is None else last + timedelta(days=1)
        for number in range(days):
            at = first + timedelta(days=number)
            seconds, queued, unreachable = await day(db, providers, at)
            print(
                f"{at:%Y-%m-%d}: {queued + unreachable} due, {queued} queued, "
                f"{unreachable} unreachable in {seconds:.3f} s"
            )
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--spread-days", type=int, default=333, help="burns spread over")
    parser.add_argument("--days", type=int, default=3, help="days measured")
    parser.add_argument("--own-servers", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="measure the filled database")
    args = parser.parse_args()
    if args.reuse:
        asyncio.run(measure(DEV_URL.format(name=DATABASE), args.days))
        return
    start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    with stack(args.own_servers) as servers:
        seconds = fill(servers.database_url, args.customers, args.spread_days, start)
        print(f"filled {args.customers} customers in {seconds:.1f} s")
        asyncio.run(measure(servers.database_url, args.days))


if __name__ == "__main__":
    main()
