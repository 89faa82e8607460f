"""Money as it travels in events: a decimal string with two fraction digits, never a float."""

from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from clientcard_contracts.decimals import decimal_parser, decimal_writer

CENT = Decimal("0.01")
PLACES = 2

to_money = decimal_parser(PLACES, "money")
"""Parse a decimal amount, refusing floats and more than two fraction digits."""

money_str = decimal_writer(PLACES)
"""The wire form of an amount, e.g. "1250.00"."""


def _schema(pattern: str, description: str) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "pattern": pattern, "description": description})


Money = Annotated[
    Decimal,
    BeforeValidator(to_money),
    PlainSerializer(money_str, return_type=str),
    _schema(r"^-?[0-9]+\.[0-9]{2}$", "an amount with two fraction digits"),
]

NonNegativeMoney = Annotated[
    Decimal,
    BeforeValidator(decimal_parser(PLACES, "money", minimum=Decimal(0))),
    PlainSerializer(money_str, return_type=str),
    _schema(r"^[0-9]+\.[0-9]{2}$", "an amount of zero or more, with two fraction digits"),
]
"""Amounts that cannot be negative: receipt totals, balances, totals of a bonus account."""

PositiveMoney = Annotated[
    Decimal,
    BeforeValidator(decimal_parser(PLACES, "money", minimum=Decimal(0), above_minimum=True)),
    PlainSerializer(money_str, return_type=str),
    _schema(r"^(?!0+\.00$)[0-9]+\.[0-9]{2}$", "an amount above zero, with two fraction digits"),
]
"""Amounts of an operation: the operation's type says in which direction they go."""
