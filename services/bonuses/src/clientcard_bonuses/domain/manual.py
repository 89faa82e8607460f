"""Rules of the operations a manager makes by hand on the card."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from clientcard_bonuses.domain.account import Note
from clientcard_kit.errors import InvalidInput

MAX_MANUAL_AMOUNT = Decimal("1000000.00")
MAX_COMMENT_LENGTH = 500
MAX_REQUEST_ID_LENGTH = 64
# Names the operation a request id stands for; any fixed value would do, this one must
# never change, or retries made across an upgrade would be applied twice.
_REQUEST_NAMESPACE = uuid.UUID("7c1f0f53-2d0e-4a55-9b59-3f5b0c4a8e21")


def manual_amount(value: Decimal) -> Decimal:
    if value <= 0:
        raise InvalidInput("amount", "must be above zero")
    if value > MAX_MANUAL_AMOUNT:
        raise InvalidInput("amount", f"must be at most {MAX_MANUAL_AMOUNT}")
    return value


def comment(text: str | None) -> str | None:
    """The comment as the table shows it: trimmed, and none rather than an empty one."""
    if text is None or not text.strip():
        return None
    cleaned = text.strip()
    if len(cleaned) > MAX_COMMENT_LENGTH:
        raise InvalidInput("comment", f"must be at most {MAX_COMMENT_LENGTH} characters")
    return cleaned


def operation_id(customer_id: uuid.UUID, request_id: str | None) -> uuid.UUID | None:
    """The id the operation asked for with `request_id` gets, the same on every retry.

    A manager's screen (or a script) that lost the answer to a timeout sends the request
    again with the same id; the ledger finds the operation already made instead of making
    a second one. Without a request id every call is an operation of its own.
    """
    if request_id is None:
        return None
    cleaned = request_id.strip()
    if not cleaned or len(cleaned) > MAX_REQUEST_ID_LENGTH:
        raise InvalidInput("requestId", f"must be 1 to {MAX_REQUEST_ID_LENGTH} characters")
    return uuid.uuid5(_REQUEST_NAMESPACE, f"{customer_id}/{cleaned}")


@dataclass(frozen=True, slots=True)
class ManualOperation:
    """An accrual or write-off a manager asked for, checked: its amount, who and why, and
    the id it gets when the request carries one."""

    amount: Decimal
    note: Note
    operation_id: uuid.UUID | None


def asked(
    customer_id: uuid.UUID,
    amount: Decimal,
    comment_text: str | None,
    author: str,
    request_id: str | None,
) -> ManualOperation:
    return ManualOperation(
        amount=manual_amount(amount),
        note=Note(comment=comment(comment_text), author=author),
        operation_id=operation_id(customer_id, request_id),
    )


def lot_expiry(expires_at: datetime | None, now: datetime) -> datetime | None:
    """When a manual accrual's lot burns, if the manager says: never in the past."""
    if expires_at is not None and expires_at <= now:
        raise InvalidInput("expiresAt", "must be in the future")
    return expires_at


# Names the accrual a customers job asks for one customer; must never change, or a job
# resumed across an upgrade would accrue twice.
_JOB_NAMESPACE = uuid.UUID("0b7e9d54-61c2-4f3e-a8d1-5c2f7e4b9a36")


def job_operation_id(job_id: uuid.UUID, customer_id: uuid.UUID) -> uuid.UUID:
    """The id of the accrual a job makes for a customer: the same on every delivery."""
    return uuid.uuid5(_JOB_NAMESPACE, f"{job_id}/{customer_id}")
