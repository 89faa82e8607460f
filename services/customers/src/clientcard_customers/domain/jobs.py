"""Jobs: long work on the customers a filter matches, done in batches in the background.

A job is QUEUED when asked for; a runner takes it, fixes its audience (the filter's
matches at that moment, `total`) and works through it in batches: RUNNING. Each batch
moves `done_position` together with its effect, so after a restart the job goes on from
there. An effect another service applies (a bonus accrual) is counted into `processed`
when that service confirms it; such a job is SUCCEEDED once every member is accounted for.
CANCELLED stops it between two batches; what was done stays done.
"""

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from clientcard_customers.domain import segment_filters
from clientcard_customers.domain.client_list import ClientFilter, ClientOrder, Direction, OrderField
from clientcard_customers.domain.errors import Conflict, InvalidInput

MAX_AMOUNT = Decimal("1000000.00")
MAX_COMMENT_LENGTH = 500
MAX_SEGMENTS = 100


class JobKind(StrEnum):
    ASSIGN_SEGMENTS = "ASSIGN_SEGMENTS"
    UNASSIGN_SEGMENTS = "UNASSIGN_SEGMENTS"
    ACCRUE_BONUSES = "ACCRUE_BONUSES"
    EXPORT = "EXPORT"


class JobStatus(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


FINISHED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})


@dataclass(frozen=True, slots=True)
class JobParams:
    """What a job was asked to do; which fields matter depends on its kind."""

    filter: ClientFilter = field(default_factory=ClientFilter)
    segment_ids: tuple[uuid.UUID, ...] = ()
    amount: Decimal | None = None
    comment: str | None = None
    expires_at: datetime | None = None
    order: ClientOrder | None = None
    columns: tuple[str, ...] | None = None
    format: str | None = None

    def to_document(self) -> dict[str, Any]:
        order = self.order
        return {
            "filter": segment_filters.to_document(self.filter),
            "segmentIds": [str(segment_id) for segment_id in self.segment_ids],
            "amount": None if self.amount is None else str(self.amount),
            "comment": self.comment,
            "expiresAt": None if self.expires_at is None else self.expires_at.isoformat(),
            "order": None if order is None else [order.field.value, order.direction.value],
            "columns": None if self.columns is None else list(self.columns),
            "format": self.format,
        }

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> "JobParams":
        order, amount, expires = document["order"], document["amount"], document["expiresAt"]
        return cls(
            filter=segment_filters.from_document(document["filter"]),
            segment_ids=tuple(uuid.UUID(text) for text in document["segmentIds"]),
            amount=None if amount is None else Decimal(amount),
            comment=document["comment"],
            expires_at=None if expires is None else datetime.fromisoformat(expires),
            order=None if order is None else ClientOrder(OrderField(order[0]), Direction(order[1])),
            columns=None if document["columns"] is None else tuple(document["columns"]),
            format=document["format"],
        )


@dataclass(frozen=True, slots=True)
class Job:
    id: uuid.UUID
    kind: JobKind
    status: JobStatus
    params: JobParams
    author: str
    created_at: datetime
    total: int | None = None
    processed: int = 0
    failed: int = 0
    done_position: int = 0
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    download_key: str | None = None
    download_size: int | None = None
    download_expires_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def confirmed_elsewhere(self) -> bool:
        """Its effect is applied by another service, which confirms each member."""
        return self.kind is JobKind.ACCRUE_BONUSES

    @property
    def all_handed_out(self) -> bool:
        """Every member of the audience was worked through (sent, for a confirmed kind)."""
        return self.total is not None and self.done_position >= self.total

    def started(self, total: int, now: datetime) -> "Job":
        """The audience fixed: RUNNING, or SUCCEEDED at once when nobody matched."""
        if self.status is not JobStatus.QUEUED:
            raise Conflict(f"a {self.status} job cannot start")
        begun = replace(self, status=JobStatus.RUNNING, total=total, started_at=now)
        return begun._done_if_accounted(now)

    def advanced(self, through: int, processed: int, failed: int, now: datetime) -> "Job":
        """A batch done up to member `through`: `processed` applied here, `failed` gone."""
        if self.status is not JobStatus.RUNNING:
            raise Conflict(f"a {self.status} job does not run")
        if through <= self.done_position:
            raise ValueError("a batch moves a job forward")
        moved = replace(
            self,
            done_position=through,
            processed=self.processed + processed,
            failed=self.failed + failed,
        )
        return moved._done_if_accounted(now)

    def confirmed(self, applied: int, now: datetime) -> "Job":
        """Another service applied `applied` more members (counted even after a cancel:
        what was done stays done)."""
        counted = replace(self, processed=self.processed + applied)
        return counted._done_if_accounted(now) if self.status is JobStatus.RUNNING else counted

    def cancelled(self, now: datetime) -> "Job":
        if self.finished:
            raise Conflict(f"the job is {self.status} already")
        return replace(self, status=JobStatus.CANCELLED, finished_at=now)

    def failed_with(self, error: str, now: datetime) -> "Job":
        if self.finished:
            return self
        return replace(self, status=JobStatus.FAILED, error=error, finished_at=now)

    def export_begun(self, now: datetime) -> "Job":
        """An export written (again, after a runner died mid-way) from its first row."""
        if self.finished:
            raise Conflict(f"a {self.status} job cannot start")
        return replace(
            self, status=JobStatus.RUNNING, processed=0, started_at=self.started_at or now
        )

    def rows_written(self, rows: int) -> "Job":
        return replace(self, processed=rows) if self.status is JobStatus.RUNNING else self

    def exported(
        self, rows: int, key: str, size: int, expires_at: datetime, now: datetime
    ) -> "Job":
        if self.status is not JobStatus.RUNNING:
            return self  # cancelled meanwhile: the file is left to expire unseen
        return replace(
            self,
            status=JobStatus.SUCCEEDED,
            total=rows,
            processed=rows,
            done_position=rows,
            download_key=key,
            download_size=size,
            download_expires_at=expires_at,
            finished_at=now,
        )

    def _done_if_accounted(self, now: datetime) -> "Job":
        if self.total is None or not self.all_handed_out:
            return self
        if self.processed + self.failed < self.total:
            return self  # confirmations still to come
        return replace(self, status=JobStatus.SUCCEEDED, finished_at=now)


def segment_ids(wanted: list[uuid.UUID]) -> tuple[uuid.UUID, ...]:
    unique = tuple(dict.fromkeys(wanted))
    if not unique:
        raise InvalidInput("segmentIds", "name at least one segment")
    if len(unique) > MAX_SEGMENTS:
        raise InvalidInput("segmentIds", f"at most {MAX_SEGMENTS} segments")
    return unique


def accrual_amount(amount: Decimal) -> Decimal:
    if amount <= 0:
        raise InvalidInput("amount", "must be above zero")
    if amount > MAX_AMOUNT:
        raise InvalidInput("amount", f"must be at most {MAX_AMOUNT}")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput("amount", "at most two digits after the point")
    return amount


def accrual_comment(text: str | None) -> str | None:
    if text is None or not text.strip():
        return None
    cleaned = text.strip()
    if len(cleaned) > MAX_COMMENT_LENGTH:
        raise InvalidInput("comment", f"must be at most {MAX_COMMENT_LENGTH} characters")
    return cleaned


def lot_expiry(expires_at: datetime | None, now: datetime) -> datetime | None:
    if expires_at is not None and expires_at <= now:
        raise InvalidInput("expiresAt", "must be in the future")
    return expires_at


def accrual_params(
    wanted: ClientFilter,
    amount: Decimal,
    comment: str | None,
    expires_at: datetime | None,
    now: datetime,
) -> JobParams:
    """What `accrueBonusesByFilter` asks, checked: InvalidInput names the bad argument."""
    return JobParams(
        filter=wanted,
        amount=accrual_amount(amount),
        comment=accrual_comment(comment),
        expires_at=lot_expiry(expires_at, now),
    )
