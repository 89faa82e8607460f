"""Exact decimal numbers as they travel in events: strings with fixed fraction digits.

A float cannot hold 0.10 exactly, so a float is refused wherever a decimal is expected,
and a value with more fraction digits than the field allows is refused rather than
rounded: rounding silently would make two services disagree about the same amount.
"""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema


def decimal_parser(
    places: int,
    what: str,
    *,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    above_minimum: bool = False,
) -> Callable[[object], Decimal]:
    """A validator reading a decimal with at most `places` fraction digits."""
    step = Decimal(1).scaleb(-places)

    def parse(value: object) -> Decimal:
        if isinstance(value, bool | float):
            raise ValueError(f"{what} must be a decimal string, not a {type(value).__name__}")
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int | str):
            try:
                number = Decimal(str(value).strip())
            except InvalidOperation as exc:
                raise ValueError(f"{value!r} is not a decimal {what}") from exc
        else:
            raise ValueError(f"{value!r} is not a decimal {what}")
        if not number.is_finite():
            raise ValueError(f"{what} must be a finite number")
        try:
            exact = number.quantize(step)
        except InvalidOperation as exc:
            raise ValueError(f"{what} is too large") from exc
        if exact != number:
            raise ValueError(f"{what} has at most {places} fraction digits")
        exact = exact.copy_abs() if exact.is_zero() else exact  # no "-0.00" on the wire
        if minimum is not None and (exact <= minimum if above_minimum else exact < minimum):
            relation = "greater than" if above_minimum else "at least"
            raise ValueError(f"{what} must be {relation} {minimum}")
        if maximum is not None and exact > maximum:
            raise ValueError(f"{what} must be at most {maximum}")
        return exact

    return parse


def decimal_writer(places: int) -> Callable[[Decimal], str]:
    """The wire form: always exactly `places` fraction digits, never an exponent."""
    step = Decimal(1).scaleb(-places)

    def write(number: Decimal) -> str:
        return format(number.quantize(step, rounding=ROUND_HALF_UP), "f")

    return write


QUANTITY_PLACES = 3
SHARE_PLACES = 6

Quantity = Annotated[
    Decimal,
    BeforeValidator(decimal_parser(QUANTITY_PLACES, "quantity", minimum=Decimal(0))),
    PlainSerializer(decimal_writer(QUANTITY_PLACES), return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]+\.[0-9]{3}$"}),
]
"""How many of an item a receipt line sold: up to three fraction digits (weighed goods)."""

Share = Annotated[
    Decimal,
    BeforeValidator(decimal_parser(SHARE_PLACES, "share", minimum=Decimal(0), maximum=Decimal(1))),
    PlainSerializer(decimal_writer(SHARE_PLACES), return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^(0\.[0-9]{6}|1\.000000)$"}),
]
"""A fraction from 0 to 1 with six digits, e.g. the part of a sale that a return gives back."""
