import json
from datetime import datetime
from typing import Any

import pytest
from pydantic import ValidationError

from clientcard_contracts.catalog import parse_event
from clientcard_contracts.events.base import Event
from clientcard_contracts.events.bonuses import ReceiptBonusesApplied
from clientcard_contracts.events.customers import CustomerDeleted
from clientcard_contracts.events.receipts import ReceiptRegistered
from clientcard_contracts.schemas import event_schema

from . import samples
from .support import validator

BY_TYPE = pytest.mark.parametrize("event", samples.EVENTS, ids=lambda event: event.TYPE)


def body(event: Event) -> dict[str, Any]:
    return event.model_dump(mode="json", by_alias=True)


@BY_TYPE
def test_round_trip_through_json_text_and_through_a_mapping(event: Event) -> None:
    text = json.dumps(body(event))
    assert parse_event(event.TYPE, text) == event
    assert parse_event(event.TYPE, text.encode()) == event
    assert parse_event(event.TYPE, json.loads(text)) == event


@BY_TYPE
def test_wire_names_are_camel_case(event: Event) -> None:
    def keys(value: object) -> list[str]:
        if isinstance(value, dict):
            return [*value, *(key for item in value.values() for key in keys(item))]
        if isinstance(value, list):
            return [key for item in value for key in keys(item)]
        return []

    names = keys(body(event))
    assert "tenantId" in names
    assert "customerId" in names
    assert "occurredAt" in names
    assert not [name for name in names if "_" in name]


@BY_TYPE
def test_bodies_match_the_published_json_schema(event: Event) -> None:
    errors = list(validator(event_schema(type(event))).iter_errors(body(event)))
    assert errors == []


@BY_TYPE
def test_key_is_the_customer_and_the_subject_is_named(event: Event) -> None:
    assert event.key() == str(samples.CUSTOMER)
    assert event.subject()


@BY_TYPE
def test_unknown_fields_are_refused(event: Event) -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        parse_event(event.TYPE, {**body(event), "surprise": 1})


def test_events_are_frozen() -> None:
    event = samples.EVENTS[0]
    with pytest.raises(ValidationError):
        event.tenant_id = "another"


def test_python_names_are_accepted_too() -> None:
    event = CustomerDeleted(
        tenant_id=samples.TENANT, customer_id=samples.CUSTOMER, occurred_at=samples.AT
    )
    assert body(event)["customerId"] == str(samples.CUSTOMER)


def test_timestamps_must_carry_an_offset() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        CustomerDeleted(
            tenant_id=samples.TENANT,
            customer_id=samples.CUSTOMER,
            occurred_at=datetime(2025, 1, 1, 12, 0),
        )


def test_money_in_bodies_is_a_string_with_two_digits() -> None:
    sale = body(samples.sale)
    assert (sale["total"], sale["paid"], sale["bonusesSpent"]) == ("2400.00", "2300.00", "100.00")
    assert sale["items"][0]["quantity"] == "2.000"
    with pytest.raises(ValidationError):
        parse_event(samples.sale.TYPE, {**sale, "total": 2400.0})


def test_a_return_names_its_sale_and_share_and_a_sale_does_not() -> None:
    returned = body(samples.partial_return)
    assert returned["returnedShare"] == "0.375000"
    schema = validator(event_schema(ReceiptRegistered))
    for missing in ("originalReceiptId", "returnedShare", "returnedShareSoFar"):
        broken = {**returned, missing: None}
        with pytest.raises(ValidationError, match="a RETURN names"):
            ReceiptRegistered.model_validate(broken)
        assert not schema.is_valid(broken)
    sale_with_share = {**body(samples.sale), "returnedShare": "0.500000"}
    with pytest.raises(ValidationError, match="only a RETURN"):
        ReceiptRegistered.model_validate(sale_with_share)
    assert not schema.is_valid(sale_with_share)


def test_phones_in_events_are_e164() -> None:
    registered = body(samples.EVENTS[0])
    with pytest.raises(ValidationError):
        parse_event(samples.EVENTS[0].TYPE, {**registered, "phone": "8 912 345-67-89"})


@pytest.mark.parametrize(
    ("receipt_type", "expected"),
    [("SALE", ("12.50", "50.00")), ("RETURN", ("-4.17", "-16.67"))],
)
def test_a_receipts_bonuses_read_as_the_card_shows_them(
    receipt_type: str, expected: tuple[str, str]
) -> None:
    # A sale's are what it accrued and spent; a return's what it took back and gave back.
    event = ReceiptBonusesApplied.model_validate(
        {
            "tenantId": "shop",
            "customerId": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
            "occurredAt": "2026-12-01T10:00:00+00:00",
            "receiptId": "0b6f2f1e-3b1c-4e55-9d38-3a0d2f3c1a11",
            "receiptType": receipt_type,
            "requestedSpent": "50.00",
            "spent": "50.00",
            "accrued": "12.50",
            "accrualReversed": "4.17",
            "spentRefunded": "16.67",
            "balanceAfter": "100.00",
        }
    )
    assert (str(event.bonuses_accrued), str(event.bonuses_spent)) == expected
