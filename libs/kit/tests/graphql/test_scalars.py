"""Decimal, DateTime and Date: strict on the way in, exact on the way out."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from clientcard_kit.graphql import BadUserInput
from clientcard_kit.graphql.scalars import (
    parse_date,
    parse_datetime,
    parse_decimal,
    serialize_date,
    serialize_datetime,
    serialize_decimal,
)

from .support import Subgraph, bearer, codes, messages

AMOUNT = "query($value: Decimal!) { amount(value: $value) }"
MOMENT = "query($value: DateTime!) { moment(value: $value) }"
DAY = "query($value: Date!) { day(value: $value) }"


@pytest.mark.parametrize(
    ("sent", "returned"),
    [("1250.00", "1250.00"), ("1250.5", "1250.50"), ("7", "7.00"), (7, "7.00"), ("-3.10", "-3.10")],
)
async def test_a_decimal_round_trips_with_two_fraction_digits(
    subgraph: Subgraph, sent: Any, returned: str
) -> None:
    body = await subgraph.post(AMOUNT, {"value": sent}, headers=bearer())
    assert body == {"data": {"amount": returned}}


@pytest.mark.parametrize(
    ("sent", "reason"),
    [
        ("1.005", "more than two fraction digits"),
        (12.5, "not as the float 12.5"),
        ("twelve", "is not a decimal number"),
        ("1e3", "is not a decimal number"),
        ("NaN", "is not a decimal number"),
        ("\u0661\u0662", "is not a decimal number"),  # Arabic-Indic digits
        ("", '"" is not a decimal number'),
        (True, "must be sent as a string"),
        ("1" * 13, "more than 12 integer digits"),
        ("1000000000000000", "more than 12 integer digits"),
    ],
)
async def test_a_decimal_variable_is_refused_with_the_reason(
    subgraph: Subgraph, sent: Any, reason: str
) -> None:
    body = await subgraph.post(AMOUNT, {"value": sent}, headers=bearer())
    assert codes(body) == ["BAD_USER_INPUT"]
    [message] = messages(body)
    assert reason in message


@pytest.mark.parametrize(
    ("literal", "reason"), [("12.5", "not as the float"), ('"1.005"', "two fraction digits")]
)
async def test_a_decimal_literal_is_refused_with_the_reason(
    subgraph: Subgraph, literal: str, reason: str
) -> None:
    body = await subgraph.post(f"{{ amount(value: {literal}) }}", headers=bearer())
    assert codes(body) == ["BAD_USER_INPUT"]
    assert reason in messages(body)[0]


def test_decimal_output_keeps_digits_it_would_otherwise_round() -> None:
    assert serialize_decimal(Decimal("0.345")) == "0.345"
    assert serialize_decimal(Decimal("0.3450")) == "0.345"
    assert serialize_decimal(Decimal("1.5")) == "1.50"
    assert serialize_decimal(Decimal("-0.00")) == "0.00"
    assert serialize_decimal(12) == "12.00"
    assert parse_decimal("1.500") == Decimal("1.50")


@pytest.mark.parametrize("value", [1.5, "1.50", True, Decimal("NaN")])
def test_decimal_output_refuses_what_is_not_an_exact_number(value: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        serialize_decimal(value)


async def test_a_weighed_quantity_is_not_rounded(subgraph: Subgraph) -> None:
    assert await subgraph.post("{ quantity }", headers=bearer()) == {"data": {"quantity": "0.345"}}


async def test_a_datetime_round_trips_in_utc(subgraph: Subgraph) -> None:
    body = await subgraph.post(MOMENT, {"value": "2025-01-31T09:30:00+03:00"}, headers=bearer())
    assert body == {"data": {"moment": "2025-01-31T06:30:00+00:00"}}
    body = await subgraph.post(MOMENT, {"value": "2025-01-31T06:30:00.250Z"}, headers=bearer())
    assert body == {"data": {"moment": "2025-01-31T06:30:00.250000+00:00"}}


@pytest.mark.parametrize(
    ("sent", "reason"),
    [
        ("2025-01-31T09:30:00", "lacks a UTC offset"),
        ("2025-01-31", "lacks a UTC offset"),
        ("yesterday", "not an ISO-8601 date and time"),
        (1738315800, "must be a string"),
    ],
)
async def test_a_datetime_without_offset_is_refused(
    subgraph: Subgraph, sent: Any, reason: str
) -> None:
    body = await subgraph.post(MOMENT, {"value": sent}, headers=bearer())
    assert codes(body) == ["BAD_USER_INPUT"]
    assert reason in messages(body)[0]


def test_datetime_parsing_and_output() -> None:
    plus_three = timezone(timedelta(hours=3))
    parsed = parse_datetime("2025-01-31T09:30:00+03:00")
    assert parsed == datetime(2025, 1, 31, 9, 30, tzinfo=plus_three)
    assert parsed.tzinfo is UTC
    assert serialize_datetime(datetime(2025, 1, 31, 9, 30, tzinfo=plus_three)) == (
        "2025-01-31T06:30:00+00:00"
    )
    with pytest.raises(ValueError, match="without a time zone"):
        serialize_datetime(datetime(2025, 1, 31, 9, 30))
    with pytest.raises(BadUserInput):
        parse_datetime(None)


async def test_a_date_round_trips(subgraph: Subgraph) -> None:
    assert await subgraph.post(DAY, {"value": "1990-02-28"}, headers=bearer()) == {
        "data": {"day": "1990-02-28"}
    }
    for sent in ("1990-02-30", "19900228", "1990-02-28T00:00:00+00:00"):
        body = await subgraph.post(DAY, {"value": sent}, headers=bearer())
        assert codes(body) == ["BAD_USER_INPUT"], sent


def test_date_parsing_and_output() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert serialize_date(date(2024, 2, 29)) == "2024-02-29"
    with pytest.raises(TypeError):
        serialize_date(datetime(2024, 2, 29, tzinfo=UTC))
