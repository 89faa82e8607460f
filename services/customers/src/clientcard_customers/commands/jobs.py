"""Jobs on the customers a filter matches: starting them, one batch of their work, their
confirmations from other services, cancelling them.

Each batch is one transaction holding the job's row: it applies the effect to the next
members and moves `done_position` past them, so a runner that dies mid-batch leaves
nothing half done and the next one goes on from the same place. Segment jobs change
memberships here (announced per changed customer, as a manual assignment is); a bonus
accrual is asked of bonuses by an event per customer and counted when bonuses confirms it.
"""

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from decimal import Decimal

from clientcard_contracts.events.customers import BonusAccrualRequested
from clientcard_customers.commands.segments import announce_segments, keep_members
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import ClientFilter
from clientcard_customers.domain.errors import InvalidInput, NotFound
from clientcard_customers.domain.jobs import Job, JobKind, JobParams, JobStatus


async def start_job(
    uow: CustomersUnitOfWork, kind: JobKind, params: JobParams, author: str, now: datetime
) -> Job:
    """Queue a job (its audience is fixed when a runner starts it)."""
    if kind in (JobKind.ASSIGN_SEGMENTS, JobKind.UNASSIGN_SEGMENTS):
        await _manual_segments(uow, params.segment_ids)
    await _filter_names_known_segments(uow, params.filter)
    job = Job(uuid.uuid4(), kind, JobStatus.QUEUED, params, author, now)
    await uow.jobs.add(job, now)
    await uow.commit()
    return job


async def cancel_job(uow: CustomersUnitOfWork, job_id: uuid.UUID, now: datetime) -> Job:
    """Stop the job between two batches; what was done stays done."""
    job = await uow.jobs.get(job_id, for_update=True)
    if job is None:
        raise NotFound(f"no job {job_id}")
    cancelled = job.cancelled(now)
    await uow.jobs.save(cancelled)
    await uow.jobs.release(job_id)
    await uow.commit()
    return cancelled


async def work_on(uow: CustomersUnitOfWork, job_id: uuid.UUID, batch: int, now: datetime) -> int:
    """The job's next step, in the caller's transaction: fix its audience, or apply the
    next batch of members. How many members it took on (0: nothing left for a runner)."""
    job = await uow.jobs.get(job_id, for_update=True)
    if job is None or job.finished or job.all_handed_out:
        await uow.jobs.release(job_id)
        return 0
    if job.status is JobStatus.QUEUED:
        total = await uow.jobs.fix_audience(job.id, job.params.filter, now.date())
        job = job.started(total, now)
        await _save(uow, job)
        return max(total, 1)
    members = await uow.jobs.members(job.id, job.done_position, batch)
    customer_ids = [customer_id for _, customer_id in members]
    try:
        processed, failed = await _EFFECTS[job.kind](uow, job, customer_ids, now)
    except InvalidInput as refused:
        await _save(uow, job.failed_with(refused.message, now))
        return 0
    await _save(uow, job.advanced(members[-1][0], processed, failed, now))
    return len(members)


async def fail(uow: CustomersUnitOfWork, job_id: uuid.UUID, error: str, now: datetime) -> None:
    job = await uow.jobs.get(job_id, for_update=True)
    if job is not None:
        await _save(uow, job.failed_with(error, now))


async def count_applied(
    uow: CustomersUnitOfWork, applied: Sequence[tuple[uuid.UUID, uuid.UUID]], now: datetime
) -> None:
    """Members (job id, customer id) another service confirmed; each counts once."""
    newly = await uow.jobs.mark_applied(applied)
    if not newly:
        return
    for job in await uow.jobs.get_many(sorted(newly), for_update=True):
        await uow.jobs.save(job.confirmed(newly[job.id], now))


async def _save(uow: CustomersUnitOfWork, job: Job) -> None:
    await uow.jobs.save(job)
    if job.finished or job.all_handed_out:
        await uow.jobs.release(job.id)


Effect = Callable[[CustomersUnitOfWork, Job, list[uuid.UUID], datetime], Awaitable[tuple[int, int]]]


async def _join(
    uow: CustomersUnitOfWork, job: Job, customer_ids: list[uuid.UUID], now: datetime
) -> tuple[int, int]:
    await _still_there(uow, job.params.segment_ids)
    existing = await uow.jobs.existing(customer_ids)
    changed = await uow.segment_effects.join(customer_ids, job.params.segment_ids, now)
    await _announce(uow, changed)
    return len(existing), len(customer_ids) - len(existing)


async def _leave(
    uow: CustomersUnitOfWork, job: Job, customer_ids: list[uuid.UUID], now: datetime
) -> tuple[int, int]:
    existing = await uow.jobs.existing(customer_ids)
    changed = await uow.segment_effects.leave(customer_ids, job.params.segment_ids)
    await _announce(uow, changed)
    return len(existing), len(customer_ids) - len(existing)


async def _announce(uow: CustomersUnitOfWork, changed: set[uuid.UUID]) -> None:
    await announce_segments(uow, list(changed))
    # A dynamic segment's filter may name the manual ones just changed.
    await keep_members(uow, sorted(changed))


async def _accrue(
    uow: CustomersUnitOfWork, job: Job, customer_ids: list[uuid.UUID], now: datetime
) -> tuple[int, int]:
    """Ask bonuses for each existing member's accrual; counted when bonuses confirms."""
    existing = await uow.jobs.existing(customer_ids)
    amount = job.params.amount
    assert amount is not None
    for customer_id in customer_ids:
        if customer_id in existing:
            uow.publish(_accrual_requested(uow.tenant, job, customer_id, amount, now))
    return 0, len(customer_ids) - len(existing)


def _accrual_requested(
    tenant: str, job: Job, customer_id: uuid.UUID, amount: Decimal, now: datetime
) -> BonusAccrualRequested:
    return BonusAccrualRequested(
        tenant_id=tenant,
        customer_id=customer_id,
        occurred_at=now,
        job_id=job.id,
        amount=amount,
        comment=job.params.comment,
        author=job.author,
        expires_at=job.params.expires_at,
    )


async def _not_here(
    uow: CustomersUnitOfWork, job: Job, customer_ids: list[uuid.UUID], now: datetime
) -> tuple[int, int]:
    raise InvalidInput("kind", f"{job.kind} jobs are not run in batches")


_EFFECTS: dict[JobKind, Effect] = {
    JobKind.ASSIGN_SEGMENTS: _join,
    JobKind.UNASSIGN_SEGMENTS: _leave,
    JobKind.ACCRUE_BONUSES: _accrue,
    JobKind.EXPORT: _not_here,
}


async def _manual_segments(uow: CustomersUnitOfWork, segment_ids: Sequence[uuid.UUID]) -> None:
    found = await uow.segments.get_many(segment_ids)
    unknown = [str(segment_id) for segment_id in segment_ids if segment_id not in found]
    if unknown:
        raise InvalidInput("segmentIds", f"unknown segment(s): {', '.join(unknown)}")
    dynamic = [segment.name for segment in found.values() if segment.dynamic]
    if dynamic:
        raise InvalidInput(
            "segmentIds", f"{', '.join(dynamic)}: a dynamic segment's members follow its filter"
        )


async def _still_there(uow: CustomersUnitOfWork, segment_ids: Sequence[uuid.UUID]) -> None:
    found = await uow.segments.get_many(segment_ids)
    gone = [str(segment_id) for segment_id in segment_ids if segment_id not in found]
    if gone:
        raise InvalidInput("segmentIds", f"segment(s) deleted while the job ran: {', '.join(gone)}")


async def _filter_names_known_segments(uow: CustomersUnitOfWork, wanted: ClientFilter) -> None:
    named = [*(wanted.segment_ids or ()), *(wanted.not_in_segment_ids or ())]
    if not named:
        return
    found = await uow.segments.get_many(named)
    unknown = sorted({str(segment_id) for segment_id in named if segment_id not in found})
    if unknown:
        raise InvalidInput("filter.segmentIds", f"unknown segment(s): {', '.join(unknown)}")
