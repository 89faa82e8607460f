"""Runners of jobs against the real PostgreSQL, on a database of their own (no service's
runner takes these jobs): a runner that stops half-way is taken over once its lease ends
and nobody is applied twice; two runners at once run a job once; a cancel stops a job
between two batches and keeps what was done."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers import commands
from clientcard_customers.commands import jobs
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import ClientFilter
from clientcard_customers.domain.jobs import Job, JobKind, JobParams, JobStatus
from clientcard_customers.domain.profile import NewCustomer, Profile, Registration
from clientcard_customers.entrypoints.jobs import run_job_batch
from clientcard_customers.service import SERVICE
from clientcard_kit.db import Database, migrations

pytestmark = pytest.mark.integration

PEOPLE = 9
BATCH = 2
LONG = timedelta(minutes=5)
SEGMENTS_CHANGED = "customers.customer.segments.changed.v1"


class Shop:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.tenant = f"runners-{uuid.uuid4().hex[:8]}"
        self.customers: list[uuid.UUID] = []
        self.segment = uuid.uuid4()

    def work(self) -> CustomersUnitOfWork:
        return CustomersUnitOfWork.for_tenant(self.db, tenant=self.tenant, source="tests")

    async def start(self) -> Job:
        """A job putting everyone in the segment (its audience is fixed by the first step)."""
        params = JobParams(ClientFilter(), (self.segment,))
        async with self.work() as uow:
            now = datetime.now(UTC)
            return await jobs.start_job(uow, JobKind.ASSIGN_SEGMENTS, params, "m@shop", now)

    async def job(self, job_id: uuid.UUID) -> Job:
        async with self.work() as uow:
            found = await uow.jobs.get(job_id)
        assert found is not None
        return found

    async def members(self) -> set[uuid.UUID]:
        async with self.work() as uow:
            return set(await uow.segments.members(self.segment))

    async def announcements(self) -> list[str]:
        """Customers announced with their new segments, once per announcement."""
        async with self.db.transaction() as session:
            keys = await session.scalars(
                sa.text("SELECT key FROM outbox WHERE event_type = :type AND key = ANY(:keys)"),
                {"type": SEGMENTS_CHANGED, "keys": [str(c) for c in self.customers]},
            )
            return sorted(keys)


@pytest.fixture(scope="module")
async def database(postgres_server: Any) -> AsyncIterator[Database]:
    url = postgres_server.create_database("customers_job_runners")
    migrations.upgrade(SERVICE.migrations, url)
    db = Database(url)
    yield db
    await db.dispose()


@pytest.fixture
async def shop(database: Database) -> Shop:
    made = Shop(database)
    for index in range(PEOPLE):
        async with made.work() as uow:
            customer = await commands.register_customer(
                uow,
                NewCustomer(
                    phone=f"+7913{uuid.uuid4().int % 10_000_000:07d}",
                    profile=Profile(first_name=f"Клиент{index}", gender=Gender.FEMALE),
                    registration=Registration(
                        registered_at=datetime.now(UTC), source=RegistrationSource.POS
                    ),
                ),
            )
        made.customers.append(customer.id)
    async with made.work() as uow:
        made.segment = (await commands.create_segment(uow, "Акция")).id
    return made


async def drain(db: Database, owner: str, lease: timedelta = LONG) -> int:
    """Run as one runner until it finds nothing to do; how many steps it took."""
    steps = 0
    while await run_job_batch(db, owner, BATCH, lease):
        steps += 1
        await asyncio.sleep(0)  # let another runner in between two steps
    return steps


async def test_a_runner_that_stops_half_way_is_taken_over_and_nobody_joins_twice(
    shop: Shop,
) -> None:
    job = await shop.start()
    short = timedelta(seconds=1)
    # The first runner fixes the audience, does two batches and is gone.
    for _ in range(3):
        assert await run_job_batch(shop.db, "first", BATCH, short) > 0
    half = await shop.job(job.id)
    assert (half.status, half.total, half.processed) == (JobStatus.RUNNING, PEOPLE, 2 * BATCH)
    assert len(await shop.members()) == 2 * BATCH
    # Its lease still holds: nobody else takes the job yet.
    assert await run_job_batch(shop.db, "second", BATCH, short) == 0
    await asyncio.sleep(short.total_seconds() + 0.2)
    await drain(shop.db, "second")
    done = await shop.job(job.id)
    assert (done.status, done.total, done.processed, done.failed) == (
        JobStatus.SUCCEEDED,
        PEOPLE,
        PEOPLE,
        0,
    )
    assert await shop.members() == set(shop.customers)
    # Each customer announced exactly once: nobody was applied twice.
    assert await shop.announcements() == sorted(str(c) for c in shop.customers)
    # The first runner, back, finds nothing left of it.
    assert await run_job_batch(shop.db, "first", BATCH, short) == 0


async def test_a_batch_cut_off_mid_way_leaves_nothing_half_done(shop: Shop) -> None:
    job = await shop.start()
    assert await run_job_batch(shop.db, "first", BATCH, LONG) > 0  # the audience fixed
    stopped = asyncio.create_task(run_job_batch(shop.db, "first", BATCH, LONG))
    await asyncio.sleep(0.005)
    stopped.cancel()
    await asyncio.gather(stopped, return_exceptions=True)
    after = await shop.job(job.id)
    # The batch either committed whole or left no trace.
    assert len(await shop.members()) == after.done_position
    assert len(await shop.announcements()) == after.done_position
    async with shop.db.transaction() as session:
        await session.execute(sa.text("UPDATE job_leases SET until = now()"))
    await drain(shop.db, "second")
    assert (await shop.job(job.id)).status is JobStatus.SUCCEEDED
    assert await shop.members() == set(shop.customers)
    assert await shop.announcements() == sorted(str(c) for c in shop.customers)


async def test_two_runners_at_once_run_a_job_once(shop: Shop) -> None:
    job = await shop.start()
    steps = await asyncio.gather(drain(shop.db, "one"), drain(shop.db, "two"))
    batches = -(-PEOPLE // BATCH)
    assert sum(steps) == 1 + batches  # the audience once, each batch once
    done = await shop.job(job.id)
    assert (done.status, done.processed, done.done_position) == (
        JobStatus.SUCCEEDED,
        PEOPLE,
        PEOPLE,
    )
    assert await shop.announcements() == sorted(str(c) for c in shop.customers)


async def test_a_cancel_stops_the_job_between_batches_and_keeps_what_was_done(
    shop: Shop,
) -> None:
    job = await shop.start()
    for _ in range(2):  # the audience, then one batch
        await run_job_batch(shop.db, "runner", BATCH, LONG)
    async with shop.work() as uow:
        cancelled = await jobs.cancel_job(uow, job.id, datetime.now(UTC))
    assert (cancelled.status, cancelled.processed) == (JobStatus.CANCELLED, BATCH)
    assert await drain(shop.db, "runner") == 0
    after = await shop.job(job.id)
    assert (after.status, after.processed, after.finished_at) == (
        JobStatus.CANCELLED,
        BATCH,
        cancelled.finished_at,
    )
    assert len(await shop.members()) == BATCH
