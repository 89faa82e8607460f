"""The EXPORT job: one long step instead of batches (`commands.exports` writes the file).

The runner marks the job RUNNING, then writes the file outside any transaction; after
each page it counts the rows written and renews its lease, and stops when the job was
cancelled or taken over. A runner that dies leaves the job to the next one, which writes
the whole file afresh (a file is stored only once complete).
"""

import uuid
from datetime import datetime, timedelta

from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.jobs import Job, JobKind


async def begin_export(uow: CustomersUnitOfWork, job_id: uuid.UUID, now: datetime) -> Job | None:
    """The export to write now, RUNNING; None when it is not one or has finished."""
    job = await uow.jobs.get(job_id, for_update=True)
    if job is None or job.kind is not JobKind.EXPORT:
        return None
    if job.finished:
        await uow.jobs.release(job_id)
        return None
    begun = job.export_begun(now)
    await uow.jobs.save(begun)
    return begun


async def count_rows(
    uow: CustomersUnitOfWork,
    job_id: uuid.UUID,
    rows: int,
    owner: str,
    lease: timedelta,
    now: datetime,
) -> bool:
    """Rows written so far; False when the runner must stop (cancelled, or not its own)."""
    job = await uow.jobs.get(job_id, for_update=True)
    if job is None or job.finished or not await uow.jobs.renew(job_id, owner, now + lease):
        return False
    await uow.jobs.save(job.rows_written(rows))
    await uow.commit()
    return True


async def finish_export(
    uow: CustomersUnitOfWork,
    job_id: uuid.UUID,
    rows: int,
    key: str,
    size: int,
    expires_at: datetime,
    now: datetime,
) -> None:
    job = await uow.jobs.get(job_id, for_update=True)
    if job is not None:
        await uow.jobs.save(job.exported(rows, key, size, expires_at, now))
    await uow.jobs.release(job_id)
    await uow.commit()


async def fail_export(
    uow: CustomersUnitOfWork, job_id: uuid.UUID, error: str, now: datetime
) -> None:
    job = await uow.jobs.get(job_id, for_update=True)
    if job is not None:
        await uow.jobs.save(job.failed_with(error, now))
    await uow.jobs.release(job_id)
    await uow.commit()
