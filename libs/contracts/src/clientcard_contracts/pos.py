"""The receipt a POS system publishes, read exactly as `pos-receipt.schema.json` says.

The model accepts what the shared schema accepts and refuses what it refuses (amounts as
strings only, no nulls where the schema wants a string, exactly one way of naming the
customer), so a POS integration gets the same answer from the documented schema, the
HTTP endpoint and the Kafka consumer. Rules across fields are in `pos_rules`.
"""

import json
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, NamedTuple, Self

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from clientcard_contracts.enums import ReceiptType
from clientcard_contracts.events.base import field_title
from clientcard_contracts.text import MAX_AMOUNT_DIGITS, text_problem

MAX_ITEMS = 1000
_AMOUNT = r"^[0-9]+(\.[0-9]{1,2})?$"
_QUANTITY = r"^[0-9]+(\.[0-9]{1,3})?$"
# RFC 3339 date-time, what the schema's "format": "date-time" means: a UTC offset is a must.
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def _decimal_string(pattern: str, example: str) -> Callable[[object], Decimal]:
    exact = re.compile(pattern.strip("^$"))

    def parse(value: object) -> Decimal:
        # A Decimal comes only from code building a receipt; JSON gives strings or numbers.
        text = format(value, "f") if isinstance(value, Decimal) else value
        if not isinstance(text, str):
            raise ValueError(f'must be a string such as "{example}", not a number')
        if not exact.fullmatch(text):
            raise ValueError(f'must be a decimal string such as "{example}"')
        if len(text.split(".")[0].lstrip("0")) > MAX_AMOUNT_DIGITS:
            raise ValueError(f"must have at most {MAX_AMOUNT_DIGITS} digits before the point")
        return Decimal(text)

    return parse


def _storable(value: object) -> object:
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            raise ValueError(problem)
    return value


def _date_time(value: object) -> object:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _DATE_TIME.fullmatch(value):
        raise ValueError("must be an RFC 3339 date-time with a UTC offset")
    return datetime.fromisoformat(value.upper())


def _not_null(value: object) -> object:
    # The schema types these "string": leaving them out is fine, an explicit null is not.
    if value is None:
        raise ValueError("must be a string; leave the field out instead of null")
    return value


def _plain(number: Decimal) -> str:
    return format(number, "f")


PosAmount = Annotated[
    Decimal,
    BeforeValidator(_decimal_string(_AMOUNT, "1250.50")),
    PlainSerializer(_plain, return_type=str),
    WithJsonSchema({"type": "string", "pattern": _AMOUNT}),
]
PosQuantity = Annotated[
    Decimal,
    BeforeValidator(_decimal_string(_QUANTITY, "1.5")),
    PlainSerializer(_plain, return_type=str),
    WithJsonSchema({"type": "string", "pattern": _QUANTITY}),
]
PosTimestamp = Annotated[
    AwareDatetime,
    BeforeValidator(_date_time),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
OptionalText = Annotated[
    str | None,
    BeforeValidator(_storable),
    BeforeValidator(_not_null),
    WithJsonSchema({"type": "string"}),
]
Id64 = Annotated[str, StringConstraints(min_length=1, max_length=64), BeforeValidator(_storable)]
ItemName = Annotated[
    str, StringConstraints(min_length=1, max_length=256), BeforeValidator(_storable)
]

# Aliases are spelled out: they are the schema's names, which POS integrations are written to.
_POS = ConfigDict(extra="forbid", frozen=True, field_title_generator=field_title)


class PosCustomer(BaseModel):
    model_config = ConfigDict(**_POS, json_schema_extra={"minProperties": 1, "maxProperties": 1})

    id: OptionalText = None
    phone: OptionalText = Field(
        default=None,
        description="E.164; an unknown phone keeps the receipt until that customer registers",
    )

    @model_validator(mode="before")
    @classmethod
    def _one_name_only(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and len(data) != 1:
            raise ValueError("name the customer by exactly one of id or phone")
        return data

    @model_validator(mode="after")
    def _named(self) -> Self:
        if (self.id is None) == (self.phone is None):
            raise ValueError("name the customer by exactly one of id or phone")
        return self


class PosItem(BaseModel):
    model_config = _POS

    sku: OptionalText = None
    name: ItemName
    quantity: PosQuantity
    price: PosAmount
    amount: PosAmount


class PosReceipt(BaseModel):
    """A receipt published by a POS system (topic `pos.receipts.v1` or POST /pos/v1/receipts)."""

    model_config = _POS

    tenant_id: Id64 = Field(alias="tenantId")
    pos_id: Id64 = Field(alias="posId")
    outlet_id: Id64 = Field(alias="outletId")
    number: Id64
    type: ReceiptType
    original_number: OptionalText = Field(
        default=None,
        alias="originalNumber",
        description="RETURN only: the number of the SALE receipt being returned, "
        "same tenant and posId",
    )
    purchased_at: PosTimestamp = Field(alias="purchasedAt")
    customer: PosCustomer
    items: tuple[PosItem, ...] = Field(min_length=1, max_length=MAX_ITEMS)
    total: PosAmount
    bonuses_spent: PosAmount = Field(default=Decimal(0), alias="bonusesSpent")
    paid: PosAmount
    bonus_reservation_id: uuid.UUID | None = Field(
        default=None,
        alias="bonusReservationId",
        description="the id of a bonus reservation made for this sale "
        "(POST /pos/v1/bonus-reservations); its amount must equal bonusesSpent",
    )

    def key(self) -> str:
        """The Kafka key the schema asks POS systems for: customer id or phone, else posId."""
        return self.customer.id or self.customer.phone or self.pos_id

    def document(self) -> dict[str, Any]:
        """The receipt as the JSON object a POS sends (absent fields left out, not null)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class Problem(NamedTuple):
    """One thing wrong with a receipt, for a 422 answer or a dead letter's reason."""

    path: str  # e.g. "items[2].amount"; "" for the receipt as a whole
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(receipt)'}: {self.message}"


class InvalidPosReceipt(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def read_pos_receipt(data: bytes | str | Mapping[str, Any]) -> PosReceipt:
    """The receipt in a POS message or request body, or InvalidPosReceipt listing every error."""
    document: object = data
    if isinstance(data, bytes | str):
        try:
            document = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise InvalidPosReceipt([Problem("", f"not JSON: {exc}")]) from exc
    if not isinstance(document, Mapping):
        raise InvalidPosReceipt([Problem("", "a receipt is a JSON object")])
    try:
        return PosReceipt.model_validate(dict(document))
    except ValidationError as exc:
        raise InvalidPosReceipt(problems_of(exc)) from exc


def pos_receipt_problems(data: bytes | str | Mapping[str, Any]) -> list[Problem]:
    """Every way the data breaks the POS receipt schema; empty when it is a valid receipt."""
    try:
        read_pos_receipt(data)
    except InvalidPosReceipt as exc:
        return exc.problems
    return []


_PLAIN_MESSAGES = {"missing": "required", "extra_forbidden": "not a field of a POS receipt"}


def problems_of(error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors():
        if detail["type"] == "value_error":
            message = str(detail["ctx"]["error"])
        else:
            message = _PLAIN_MESSAGES.get(detail["type"], detail["msg"])
        problems.append(Problem(_path(detail["loc"]), message))
    return problems


def _path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path
