"""A job's life: QUEUED, RUNNING batch after batch, then SUCCEEDED, FAILED or CANCELLED;
what another service applies counts once it is confirmed; its arguments checked."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from clientcard_contracts.enums import Gender
from clientcard_customers.domain import jobs
from clientcard_customers.domain.client_list import ClientFilter, ClientOrder, OrderField
from clientcard_customers.domain.errors import Conflict, InvalidInput
from clientcard_customers.domain.jobs import Job, JobKind, JobParams, JobStatus

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)


def queued(kind: JobKind = JobKind.ASSIGN_SEGMENTS) -> Job:
    return Job(uuid.uuid4(), kind, JobStatus.QUEUED, JobParams(), "manager@shop", NOW)


def test_a_job_runs_batch_by_batch_until_every_member_is_done() -> None:
    job = queued().started(5, NOW)
    assert (job.status, job.total, job.started_at) == (JobStatus.RUNNING, 5, NOW)
    job = job.advanced(through=2, processed=2, failed=0, now=NOW)
    assert (job.status, job.done_position, job.processed) == (JobStatus.RUNNING, 2, 2)
    later = NOW + timedelta(seconds=3)
    job = job.advanced(through=5, processed=2, failed=1, now=later)
    assert (job.status, job.processed, job.failed, job.finished_at) == (
        JobStatus.SUCCEEDED,
        4,
        1,
        later,
    )


def test_nobody_matching_succeeds_at_once_with_total_zero() -> None:
    job = queued().started(0, NOW)
    assert (job.status, job.total, job.finished_at) == (JobStatus.SUCCEEDED, 0, NOW)


def test_an_accrual_succeeds_only_when_bonuses_confirmed_every_member() -> None:
    job = queued(JobKind.ACCRUE_BONUSES).started(3, NOW)
    job = job.advanced(through=3, processed=0, failed=1, now=NOW)
    assert job.all_handed_out
    assert job.status is JobStatus.RUNNING
    job = job.confirmed(1, NOW)
    assert (job.status, job.processed) == (JobStatus.RUNNING, 1)
    job = job.confirmed(1, NOW)
    assert (job.status, job.processed, job.failed) == (JobStatus.SUCCEEDED, 2, 1)


def test_confirmations_after_a_cancel_still_count_and_keep_it_cancelled() -> None:
    job = queued(JobKind.ACCRUE_BONUSES).started(4, NOW)
    job = job.advanced(through=2, processed=0, failed=0, now=NOW).cancelled(NOW)
    job = job.confirmed(2, NOW)
    assert (job.status, job.processed) == (JobStatus.CANCELLED, 2)


def test_a_finished_job_cannot_be_cancelled_or_moved() -> None:
    done = queued().started(0, NOW)
    with pytest.raises(Conflict):
        done.cancelled(NOW)
    cancelled = queued().started(3, NOW).cancelled(NOW)
    with pytest.raises(Conflict):
        cancelled.advanced(through=1, processed=1, failed=0, now=NOW)
    with pytest.raises(Conflict):
        cancelled.started(3, NOW)
    assert cancelled.failed_with("late", NOW) == cancelled


def test_a_batch_never_goes_back() -> None:
    job = queued().started(3, NOW).advanced(through=2, processed=2, failed=0, now=NOW)
    with pytest.raises(ValueError, match="forward"):
        job.advanced(through=2, processed=1, failed=0, now=NOW)


def test_a_failure_keeps_its_reason() -> None:
    job = queued().started(3, NOW).failed_with("segment deleted", NOW)
    assert (job.status, job.error, job.finished) == (JobStatus.FAILED, "segment deleted", True)


def test_params_survive_their_document() -> None:
    params = JobParams(
        filter=ClientFilter(gender=Gender.FEMALE, bonus_balance_min=Decimal("500")),
        segment_ids=(uuid.uuid4(),),
        amount=Decimal("150.00"),
        comment="Подарок к 8 марта",
        expires_at=NOW + timedelta(days=30),
        order=ClientOrder(OrderField.NAME),
        columns=("NAME", "PHONE"),
        format="XLSX",
    )
    assert JobParams.from_document(params.to_document()) == params


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("1.001")])
def test_an_accrual_needs_a_positive_amount_in_kopecks(amount: Decimal) -> None:
    with pytest.raises(InvalidInput) as refused:
        jobs.accrual_params(ClientFilter(), amount, None, None, NOW)
    assert refused.value.field == "amount"


def test_an_accrual_lot_expires_in_the_future_only() -> None:
    with pytest.raises(InvalidInput) as refused:
        jobs.accrual_params(ClientFilter(), Decimal("10"), None, NOW, NOW)
    assert refused.value.field == "expiresAt"
    later = NOW + timedelta(days=1)
    params = jobs.accrual_params(ClientFilter(), Decimal("10"), "  ", later, NOW)
    assert (params.amount, params.comment, params.expires_at) == (Decimal("10"), None, later)


def test_segment_ids_are_named_once_and_at_least_one() -> None:
    one = uuid.uuid4()
    assert jobs.segment_ids([one, one]) == (one,)
    with pytest.raises(InvalidInput):
        jobs.segment_ids([])
