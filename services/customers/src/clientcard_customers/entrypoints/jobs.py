"""The customers service's periodic jobs; every replica runs them, a job lock lets one
do each at a time.

- Folding the changes of audience cell counts into the counts (migration 0006). The
  pending changes stay readable meanwhile (a count adds them), so the interval only
  bounds how many pile up.
- Re-checking dynamic segments against the clock: a filter of birthdays within N days
  matches other customers tomorrow though nobody changed.
- Running the jobs merchants start on a filter's customers (`job_runner`).
"""

import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial

from clientcard_customers import commands
from clientcard_customers.commands import job_exports, jobs
from clientcard_customers.db import audience_counts
from clientcard_customers.db import jobs as job_queue
from clientcard_customers.db.memberships import tenants_with_dynamic_segments
from clientcard_customers.db.unit_of_work import SOURCE, CustomersUnitOfWork
from clientcard_customers.domain.jobs import Job
from clientcard_customers.entrypoints.export_jobs import write_job_export
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database
from clientcard_kit.db.database import set_tenant
from clientcard_kit.jobs import PeriodicJob, holds_job_lock
from clientcard_kit.runtime import ServiceRuntime

JOB = "audience-counts"
INTERVAL_SECONDS = 5.0


async def _tick(runtime: ServiceRuntime) -> int:
    async with runtime.db.transaction() as session:
        if not await holds_job_lock(session, JOB):
            return 0
        await audience_counts.fold(session)
    # Never "did work": folding again at once would only find the few changes since.
    return 0


FOLD_AUDIENCE_COUNTS = PeriodicJob(JOB, _tick, interval_seconds=INTERVAL_SECONDS)


DYNAMIC_JOB = "dynamic-segments"
# Birthdays move at midnight; a quarter of an hour late is soon enough for a mailing.
DYNAMIC_INTERVAL_SECONDS = 900.0


async def _recheck(runtime: ServiceRuntime) -> int:
    async with runtime.db.transaction() as session:
        if not await holds_job_lock(session, DYNAMIC_JOB):
            return 0
        for tenant in await tenants_with_dynamic_segments(session):
            async with CustomersUnitOfWork.for_tenant(
                runtime.db, tenant=tenant, source=SOURCE
            ) as uow:
                await commands.recheck_dynamic_segments(uow)
    return 0


RECHECK_DYNAMIC_SEGMENTS = PeriodicJob(
    DYNAMIC_JOB, _recheck, interval_seconds=DYNAMIC_INTERVAL_SECONDS
)


JOBS = "customer-jobs"


ExportWriter = Callable[[str, Job], Awaitable[None]]


async def run_job_batch(
    db: Database, owner: str, batch: int, lease: timedelta, export: ExportWriter | None = None
) -> int:
    """One step of the next job this runner may take: claim it (a job whose lease ran
    out, or this runner's own), renew the lease and do the step, in one transaction that
    holds the job's queue row, so no two runners ever work on one job at once. An export
    is one long step, its file written after that transaction (`export`). How many
    members the step took on (0: no job to work on)."""
    now = datetime.now(UTC)
    async with db.transaction() as session:
        claimed = await job_queue.claim(session, owner, now, lease)
        if claimed is None:
            return 0
        job_id, tenant = claimed
        await set_tenant(session, tenant)
        async with CustomersUnitOfWork.joining(session, tenant=tenant, source=SOURCE) as uow:
            to_write = await job_exports.begin_export(uow, job_id, now)
            if to_write is None:
                return await jobs.work_on(uow, job_id, batch, now)
    if export is None:
        raise RuntimeError("this runner writes no exports")
    await export(tenant, to_write)
    return 1


def job_runner(owner: str) -> PeriodicJob[CustomersSettings]:
    """Works through the jobs merchants start (`commands.jobs`), a batch per tick, under
    this replica's `owner` name; a job whose runner died is taken over when its lease ends.
    """

    async def tick(runtime: ServiceRuntime[CustomersSettings]) -> int:
        settings = runtime.settings
        lease = timedelta(seconds=settings.job_lease_seconds)
        export = partial(write_job_export, runtime, owner, lease)
        return await run_job_batch(runtime.db, owner, settings.job_batch_size, lease, export)

    return PeriodicJob(JOBS, tick, interval_seconds=1.0)


RUN_JOBS = job_runner(f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:8]}")
