"""Money as it travels in events: a decimal string with two fraction digits, never a float."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

CENT = Decimal("0.01")


def to_money(value: object) -> Decimal:
    """Parse a decimal amount, refusing floats and more than two fraction digits."""
    if isinstance(value, float):
        raise ValueError("money must be a decimal string, not a float")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int | str):
        try:
            amount = Decimal(str(value).strip())
        except ArithmeticError as exc:
            raise ValueError(f"{value!r} is not a decimal amount") from exc
    else:
        raise ValueError(f"{value!r} is not a decimal amount")
    if not amount.is_finite():
        raise ValueError("money must be a finite amount")
    if amount != amount.quantize(CENT):
        raise ValueError("money has at most two fraction digits")
    return amount.quantize(CENT)


def money_str(amount: Decimal) -> str:
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP))


Money = Annotated[
    Decimal,
    BeforeValidator(to_money),
    PlainSerializer(money_str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$"}),
]
