import re
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from clientcard_contracts.decimals import Quantity, Share
from clientcard_contracts.money import Money, NonNegativeMoney, PositiveMoney, money_str, to_money


class Amounts(BaseModel):
    money: Money = Decimal(0)
    non_negative: NonNegativeMoney = Decimal(0)
    positive: PositiveMoney = Decimal(1)
    quantity: Quantity = Decimal(1)
    share: Share = Decimal(0)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("12.5", "12.50"),
        ("0", "0.00"),
        (12, "12.00"),
        (Decimal("7.10"), "7.10"),
        ("-3.25", "-3.25"),
    ],
)
def test_money_reads_decimal_strings_and_integers(given: object, stored: str) -> None:
    amount = Amounts(money=given).money
    assert amount == Decimal(stored)
    assert Amounts(money=given).model_dump(mode="json")["money"] == stored


@pytest.mark.parametrize(
    "given", [12.5, 0.1, True, "1.234", "0.001", "NaN", "Infinity", "ten", None]
)
def test_money_refuses_floats_extra_digits_and_non_numbers(given: object) -> None:
    with pytest.raises(ValidationError):
        Amounts(money=given)


def test_money_from_json_refuses_a_json_number_with_a_fraction() -> None:
    with pytest.raises(ValidationError, match="not a float"):
        Amounts.model_validate_json('{"money": 12.5}')
    assert Amounts.model_validate_json('{"money": "12.5"}').money == Decimal("12.50")


def test_negative_zero_is_written_as_zero() -> None:
    assert Amounts(non_negative="-0.00").model_dump(mode="json")["non_negative"] == "0.00"


def test_non_negative_and_positive_money_refuse_what_they_say() -> None:
    with pytest.raises(ValidationError, match="at least 0"):
        Amounts(non_negative="-0.01")
    with pytest.raises(ValidationError, match="greater than 0"):
        Amounts(positive="0.00")
    assert Amounts(positive="0.01").positive == Decimal("0.01")


def test_quantity_and_share_keep_their_own_precision() -> None:
    body = Amounts(quantity="1.5", share="0.375").model_dump(mode="json")
    assert (body["quantity"], body["share"]) == ("1.500", "0.375000")
    with pytest.raises(ValidationError):
        Amounts(quantity="0.0001")
    with pytest.raises(ValidationError):
        Amounts(share="1.01")


def test_written_forms_match_the_published_patterns() -> None:
    schema = Amounts.model_json_schema()["properties"]
    body = Amounts(money="-5", non_negative="5", positive="5", quantity="2", share="1").model_dump(
        mode="json"
    )
    for field, text in body.items():
        assert re.fullmatch(schema[field]["pattern"].strip("^$"), text), field
    assert not re.fullmatch(schema["positive"]["pattern"], "0.00")


def test_the_module_functions_keep_working() -> None:
    assert to_money("3.1") == Decimal("3.10")
    assert money_str(Decimal("3.1")) == "3.10"
