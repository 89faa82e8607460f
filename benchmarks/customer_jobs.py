"""Benchmark of jobs on the client list's large tenant: a segment assigned to 100,000
matches, and bonuses accrued to 100,000 until every ledger operation is written.

Needs the tenant `customers_list.py` fills (run it first). Jobs change data, so they run
on a copy of its database (made from it as a template, dropped at the end unless
--keep); bonuses get a fresh database of their own. The filter is the newest 100,000
clients by registration. Each job is worked through in this process as a replica's runner
does it (`entrypoints.jobs.run_job_batch`, batches of 1,000). For the accrual, the
requests the job published (its outbox rows) are handed to bonuses' consumer command in
batches of 500, as the consumer receives them, and the operations bonuses records are
handed back, batch by batch, to customers' consumer of bonus operations, which counts
them into the job; Kafka's own transport between the two is not part of the time.

    make up
    .venv/bin/python benchmarks/customers_list.py --customers 1000000 --runs 30
    .venv/bin/python benchmarks/customer_jobs.py
"""

import argparse
import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg
import sqlalchemy as sa
from customer_export import copy_database, drop_database
from customers_list import ADMIN, APP_URL, TENANT

from clientcard_bonuses.commands.job_accruals import apply_job_accruals
from clientcard_bonuses.db.unit_of_work import BonusesUnitOfWork
from clientcard_bonuses.service import SERVICE as BONUSES
from clientcard_contracts.events.bonuses import BonusTransactionRecorded
from clientcard_contracts.events.customers import BonusAccrualRequested
from clientcard_customers import commands
from clientcard_customers.commands.jobs import start_job
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import ClientFilter
from clientcard_customers.domain.jobs import Job, JobKind, JobParams, JobStatus
from clientcard_customers.entrypoints.consumers import BATCH_HANDLERS
from clientcard_customers.entrypoints.jobs import run_job_batch
from clientcard_customers.service import SERVICE as CUSTOMERS
from clientcard_kit.db import Database, migrations
from clientcard_kit.events.inbound import InboundMessage

BATCH = 1_000
DELIVERED = 500  # what a consumer takes from Kafka at once (`ConsumerConfig.max_batch`)
LEASE = timedelta(seconds=30)


def work(db: Database) -> CustomersUnitOfWork:
    return CustomersUnitOfWork.for_tenant(db, tenant=TENANT, source="bench")


async def newest(db: Database, count: int) -> ClientFilter:
    """The filter of the newest `count` clients by registration."""
    async with db.transaction(TENANT) as session:
        since = await session.scalar(
            sa.text("SELECT registered_at FROM customers ORDER BY registered_at DESC OFFSET :n"),
            {"n": count - 1},
        )
    return ClientFilter(registered_from=since)


async def run(db: Database, job: Job) -> tuple[float, int]:
    """Work the job through as one runner; seconds taken and steps."""
    started, steps = time.perf_counter(), 0
    while await run_job_batch(db, "bench", BATCH, LEASE):
        steps += 1
    return time.perf_counter() - started, steps


async def state(db: Database, job_id: uuid.UUID) -> Job:
    async with work(db) as uow:
        found = await uow.jobs.get(job_id)
    assert found is not None
    return found


async def assign(db: Database, wanted: ClientFilter) -> None:
    async with work(db) as uow:
        segment = await commands.create_segment(uow, f"Акция {uuid.uuid4().hex[:4]}")
    async with work(db) as uow:
        params = JobParams(wanted, (segment.id,))
        job = await start_job(uow, JobKind.ASSIGN_SEGMENTS, params, "bench", datetime.now(UTC))
    seconds, steps = await run(db, job)
    done = await state(db, job.id)
    async with work(db) as uow:
        members = (await uow.segments.counts([segment.id])).get(segment.id, 0)
    assert done.status is JobStatus.SUCCEEDED, done
    assert members == done.total == done.processed, (members, done)
    print(
        f"assign a segment: {done.total:,} customers in {seconds:.1f} s "
        f"({steps} steps; {done.total / seconds:,.0f} customers/s), "
        f"each announced, the segment holds {members:,}"
    )


async def outbox_batches(db: Database, event_type: str, tenant: str | None) -> list[list[Any]]:
    async with db.transaction(tenant) as session:
        rows = await session.scalars(
            sa.text("SELECT data FROM outbox WHERE event_type = :type ORDER BY seq"),
            {"type": event_type},
        )
        bodies = list(rows)
    return [bodies[start : start + DELIVERED] for start in range(0, len(bodies), DELIVERED)]


async def accrue(db: Database, ledger: Database, wanted: ClientFilter) -> None:
    params = JobParams(wanted, amount=Decimal("150.00"), comment="Подарок к празднику")
    async with work(db) as uow:
        job = await start_job(uow, JobKind.ACCRUE_BONUSES, params, "bench", datetime.now(UTC))
    started = time.perf_counter()
    asked_in, _ = await run(db, job)
    requests = await outbox_batches(db, BonusAccrualRequested.TYPE, None)
    for batch in requests:
        async with BonusesUnitOfWork.for_tenant(ledger, tenant=TENANT, source="bench") as uow:
            await apply_job_accruals(uow, [BonusAccrualRequested.model_validate(b) for b in batch])
            await uow.commit()
    written_in = time.perf_counter() - started
    async with ledger.transaction(TENANT) as session:
        operations = await session.scalar(sa.text("SELECT count(*) FROM bonus_operations"))
    count = BATCH_HANDLERS[BonusTransactionRecorded.TYPE]
    for batch in await outbox_batches(ledger, BonusTransactionRecorded.TYPE, None):
        messages = [
            InboundMessage(
                str(uuid.uuid4()),
                BonusTransactionRecorded.TYPE,
                TENANT,
                BonusTransactionRecorded.model_validate(body),
            )
            for body in batch
        ]
        async with db.transaction(TENANT) as session:
            await count(session, TENANT, messages)
    counted_in = time.perf_counter() - started
    done = await state(db, job.id)
    assert done.status is JobStatus.SUCCEEDED, done
    assert operations == done.total == done.processed, (operations, done)
    print(
        f"accrue bonuses: {done.total:,} customers; asked of bonuses in {asked_in:.1f} s, "
        f"every ledger operation written at {written_in:.1f} s "
        f"({operations / written_in:,.0f} operations/s), the job counted SUCCEEDED at "
        f"{counted_in:.1f} s"
    )


def fresh(name: str) -> None:
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" OWNER clientcard')


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--template", default="customers_bench")
    parser.add_argument("--database", default="jobs_bench")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the copies afterwards")
    args = parser.parse_args()
    copy_database(args.template, args.database)
    ledger_name = f"{args.database}_bonuses"
    fresh(ledger_name)
    url, ledger_url = APP_URL.format(name=args.database), APP_URL.format(name=ledger_name)
    migrations.upgrade(CUSTOMERS.migrations, url)
    migrations.upgrade(BONUSES.migrations, ledger_url)
    db = Database(url, pool_size=2, max_overflow=0)
    ledger = Database(ledger_url, pool_size=2, max_overflow=0)
    try:
        wanted = await newest(db, args.customers)
        await assign(db, wanted)
        await accrue(db, ledger, wanted)
    finally:
        await db.dispose()
        await ledger.dispose()
        if not args.keep:
            drop_database(args.database)
            drop_database(ledger_name)


if __name__ == "__main__":
    asyncio.run(main())
