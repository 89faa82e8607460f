"""The contract's scalars `Decimal`, `DateTime` and `Date`, bound to plain Python types.

`SCALAR_OVERRIDES` maps `decimal.Decimal`, `datetime.datetime` and `datetime.date` to them,
so resolvers and types annotate fields with the standard types and never see a wrapper.
Parsing is strict, because a lenient parser is how money turns into floats and local
times into wrong instants: a refused value becomes a `BAD_USER_INPUT` error that says why.
"""

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Final

import strawberry
from strawberry.types.scalar import ScalarDefinition

from clientcard_contracts.text import MAX_AMOUNT_DIGITS
from clientcard_kit.graphql.errors import BadUserInput

CENT: Final = Decimal("0.01")
# What the databases store (numeric(14, 2)): a larger amount is the client's mistake, to
# be told as such, not a database error. Well below the 28 significant digits of Python's
# default decimal context, so quantizing can never fail either.
MAX_INTEGER_DIGITS: Final = MAX_AMOUNT_DIGITS

# ASCII digits only: `\d` and Decimal() would also take other scripts' digits.
_DECIMAL_TEXT = re.compile(r"[+-]?(?P<integer>[0-9]+)(?:\.[0-9]+)?")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _shown(value: object) -> str:
    # graphql-core quotes the message it wraps, so values appear without quotes of their own.
    return str(value) if value != "" else '""'


def parse_decimal(value: object) -> Decimal:
    """A decimal from a string such as "1250.00" (or an integer); floats are refused."""
    if isinstance(value, float):
        raise BadUserInput(
            f'Decimal must be sent as a string such as "1250.00", not as the float {value}'
        )
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise BadUserInput('Decimal must be sent as a string such as "1250.00"')
    match = _DECIMAL_TEXT.fullmatch(value)
    if match is None:
        raise BadUserInput(f'{_shown(value)} is not a decimal number such as "1250.00"')
    if len(match["integer"].lstrip("0")) > MAX_INTEGER_DIGITS:
        raise BadUserInput(f"{_shown(value)} has more than {MAX_INTEGER_DIGITS} integer digits")
    amount = Decimal(value)
    if amount != amount.quantize(CENT):
        raise BadUserInput(f"{_shown(value)} has more than two fraction digits")
    return amount.quantize(CENT)


def serialize_decimal(value: object) -> str:
    """Two fraction digits ("1250.00"); more only where the value has them.

    Amounts are stored with two fraction digits and always print exactly two. A value
    with more significant digits (a weighed quantity such as 0.345 kg) keeps them: an
    output scalar must never round the data it reports.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"a Decimal field returned {type(value).__name__}, not a Decimal")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"a Decimal field returned {amount}")
    if amount.is_zero():
        return "0.00"
    try:
        cents = amount.quantize(CENT)
    except InvalidOperation as exc:
        raise ValueError("a Decimal field returned a value beyond 28 digits") from exc
    if cents == amount:
        return str(cents)
    return format(amount.normalize(), "f")


def parse_datetime(value: object) -> datetime:
    """An aware datetime, converted to UTC; a value without a UTC offset is refused."""
    if not isinstance(value, str):
        raise BadUserInput('DateTime must be a string such as "2025-01-31T09:30:00+00:00"')
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadUserInput(f"{_shown(value)} is not an ISO-8601 date and time") from None
    if moment.utcoffset() is None:
        # A local time means a different instant in every time zone: refuse to guess.
        raise BadUserInput(
            f"{_shown(value)} lacks a UTC offset; send e.g. "
            '"2025-01-31T09:30:00+03:00" or "2025-01-31T06:30:00Z"'
        )
    return moment.astimezone(UTC)


def serialize_datetime(value: object) -> str:
    """ISO-8601 in UTC, e.g. "2025-01-31T06:30:00+00:00", whatever offset the value had."""
    if not isinstance(value, datetime):
        raise TypeError(f"a DateTime field returned {type(value).__name__}, not a datetime")
    if value.utcoffset() is None:
        raise ValueError("a DateTime field returned a datetime without a time zone")
    return value.astimezone(UTC).isoformat()


def parse_date(value: object) -> date:
    """A calendar date from "YYYY-MM-DD" (the only ISO-8601 form the contract uses)."""
    if not isinstance(value, str) or _DATE_TEXT.fullmatch(value) is None:
        raise BadUserInput(f'{_shown(value)} is not a date such as "2025-01-31"')
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadUserInput(f"{_shown(value)} is not a valid calendar date") from None


def serialize_date(value: object) -> str:
    # datetime is a subclass of date; printing one here would leak a time into a date.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise TypeError(f"a Date field returned {type(value).__name__}, not a date")
    return value.isoformat()


DecimalScalar: Final[ScalarDefinition] = strawberry.scalar(
    name="Decimal",
    description='A decimal number sent as a string with two fraction digits, e.g. "1250.00".',
    serialize=serialize_decimal,
    parse_value=parse_decimal,
)

DateTimeScalar: Final[ScalarDefinition] = strawberry.scalar(
    name="DateTime",
    description='An instant as ISO-8601 with a UTC offset, e.g. "2025-01-31T09:30:00+00:00".',
    serialize=serialize_datetime,
    parse_value=parse_datetime,
)

DateScalar: Final[ScalarDefinition] = strawberry.scalar(
    name="Date",
    description='A calendar date as ISO-8601, e.g. "2025-01-31".',
    serialize=serialize_date,
    parse_value=parse_date,
)

SCALAR_OVERRIDES: Final[dict[object, ScalarDefinition]] = {
    Decimal: DecimalScalar,
    datetime: DateTimeScalar,
    date: DateScalar,
}
