"""The customers service's periodic jobs; every replica runs them, a job lock lets one
do each at a time.

- Folding the changes of audience cell counts into the counts (migration 0006). The
  pending changes stay readable meanwhile (a count adds them), so the interval only
  bounds how many pile up.
- Re-checking dynamic segments against the clock: a filter of birthdays within N days
  matches other customers tomorrow though nobody changed.
"""

from clientcard_customers import commands
from clientcard_customers.db import audience_counts
from clientcard_customers.db.memberships import tenants_with_dynamic_segments
from clientcard_customers.db.unit_of_work import SOURCE, CustomersUnitOfWork
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
