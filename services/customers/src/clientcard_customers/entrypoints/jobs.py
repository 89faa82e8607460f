"""The job that folds the changes of audience cell counts into the counts (migration 0006).

Every replica runs it; the job lock lets one fold at a time. The pending changes stay
readable meanwhile (a count adds them), so the interval only bounds how many pile up.
"""

from clientcard_customers.db import audience_counts
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
