"""Removing exports past their expiry: a periodic job of the customers service.

A file is kept `exports_keep_hours` from when it was stored; its link expired by then
(`commands.exports.write_export` dates the link from before the store). One replica at a
time does it, under a job lock.
"""

from datetime import UTC, datetime, timedelta

from clientcard_customers.settings import CustomersSettings
from clientcard_customers.storage import export_storage
from clientcard_kit.jobs import PeriodicJob, holds_job_lock
from clientcard_kit.runtime import ServiceRuntime

JOB = "export-expiry"
# Files outlive their links by at most this much.
INTERVAL_SECONDS = 900.0


async def remove_expired_exports(runtime: ServiceRuntime[CustomersSettings]) -> int:
    """Remove the exports kept past their time; how many were removed."""
    settings = runtime.settings
    async with runtime.db.transaction() as session:
        if not await holds_job_lock(session, JOB):
            return 0
        before = datetime.now(UTC) - timedelta(hours=settings.exports_keep_hours)
        return await export_storage(settings).remove_stored_before(before)


async def _tick(runtime: ServiceRuntime[CustomersSettings]) -> int:
    await remove_expired_exports(runtime)
    # Never "did work": what expires next is an interval away at least.
    return 0


REMOVE_EXPIRED_EXPORTS = PeriodicJob(JOB, _tick, interval_seconds=INTERVAL_SECONDS)
