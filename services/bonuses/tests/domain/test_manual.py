"""Rules of the operations a manager makes by hand."""

import uuid
from decimal import Decimal

import pytest

from clientcard_bonuses.domain import manual
from clientcard_kit.errors import InvalidInput


def test_a_request_id_names_the_same_operation_on_every_retry() -> None:
    customer, other = uuid.uuid4(), uuid.uuid4()
    first = manual.operation_id(customer, "visit-42")
    assert first is not None
    assert manual.operation_id(customer, " visit-42 ") == first
    assert manual.operation_id(customer, "visit-43") != first
    # Two customers' screens may well use the same request ids.
    assert manual.operation_id(other, "visit-42") != first
    assert manual.operation_id(customer, None) is None


@pytest.mark.parametrize("request_id", ["", "   ", "x" * 65])
def test_a_request_id_empty_or_too_long_is_refused(request_id: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        manual.operation_id(uuid.uuid4(), request_id)
    assert refused.value.field == "requestId"


def test_a_manual_amount_is_above_zero_and_capped() -> None:
    assert manual.manual_amount(Decimal("0.01")) == Decimal("0.01")
    for bad in (Decimal("0"), Decimal("-1"), manual.MAX_MANUAL_AMOUNT + 1):
        with pytest.raises(InvalidInput):
            manual.manual_amount(bad)


def test_a_request_is_checked_whole_before_anything_is_opened() -> None:
    customer = uuid.uuid4()
    request = manual.asked(customer, Decimal("10.00"), "  за отзыв  ", "anna", "r-1")
    assert (request.amount, request.note.comment, request.note.author) == (
        Decimal("10.00"),
        "за отзыв",
        "anna",
    )
    assert request.operation_id == manual.operation_id(customer, "r-1")
    with pytest.raises(InvalidInput):
        manual.asked(customer, Decimal("0"), None, "anna", None)
