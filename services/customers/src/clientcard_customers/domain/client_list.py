"""The client list: which filters make sense, how it is ordered, and where a page starts.

Paging is by keyset (the last row's sort value and id), not by offset, so a page boundary
stays put when rows are added or change between two requests: nothing is skipped or
shown twice because a customer moved in front of the cursor.
"""

import base64
import binascii
import json
import uuid
from dataclasses import dataclass, fields, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers.domain.birthdays import MAX_WINDOW_DAYS
from clientcard_customers.domain.errors import InvalidInput

MAX_SEARCH_LENGTH = 100
MAX_SEGMENTS_IN_FILTER = 100


class OrderField(StrEnum):
    REGISTERED_AT = "REGISTERED_AT"
    LAST_PURCHASE_AT = "LAST_PURCHASE_AT"
    REVENUE = "REVENUE"
    PURCHASES = "PURCHASES"
    BONUS_BALANCE = "BONUS_BALANCE"
    NAME = "NAME"
    AVERAGE_CHECK = "AVERAGE_CHECK"
    LAST_NPS_SCORE = "LAST_NPS_SCORE"
    # Soonest birthday first, from today; see `domain.birthdays.next_birthday_rank`.
    NEXT_BIRTHDAY = "NEXT_BIRTHDAY"


class NpsCategory(StrEnum):
    """Where the last NPS score puts a customer; NONE: never answered."""

    PROMOTER = "PROMOTER"
    PASSIVE = "PASSIVE"
    DETRACTOR = "DETRACTOR"
    NONE = "NONE"


# The scores of each answered category, as NPS counts them.
NPS_SCORES = {
    NpsCategory.PROMOTER: (9, 10),
    NpsCategory.PASSIVE: (7, 8),
    NpsCategory.DETRACTOR: (0, 6),
}


class Direction(StrEnum):
    ASC = "ASC"
    DESC = "DESC"


@dataclass(frozen=True, slots=True)
class ClientOrder:
    field: OrderField = OrderField.REGISTERED_AT
    direction: Direction = Direction.DESC


@dataclass(frozen=True, slots=True)
class ClientFilter:
    search: str | None = None
    segment_ids: tuple[uuid.UUID, ...] | None = None
    gender: Gender | None = None
    registered_from: datetime | None = None
    registered_to: datetime | None = None
    purchases_min: int | None = None
    purchases_max: int | None = None
    revenue_min: Decimal | None = None
    revenue_max: Decimal | None = None
    average_check_min: Decimal | None = None
    average_check_max: Decimal | None = None
    last_purchase_from: datetime | None = None
    last_purchase_to: datetime | None = None
    bonus_balance_min: Decimal | None = None
    bonus_balance_max: Decimal | None = None
    messenger_status: str | None = None
    channel: str | None = None
    nps_min: int | None = None
    nps_max: int | None = None
    birthday_within_days: int | None = None
    outlet_ids: tuple[str, ...] | None = None
    registration_sources: tuple[RegistrationSource, ...] | None = None
    has_messenger: bool | None = None
    not_in_segment_ids: tuple[uuid.UUID, ...] | None = None
    birth_month: int | None = None
    nps_category: NpsCategory | None = None
    purchased_at_outlet_ids: tuple[str, ...] | None = None
    bonuses_expiring_within_days: int | None = None
    tier_ids: tuple[uuid.UUID, ...] | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, item.name) is None for item in fields(self))

    def only_segment(self) -> uuid.UUID | None:
        """The segment a filter asks for when it asks for one segment and nothing else."""
        if not self.segment_ids or len(set(self.segment_ids)) != 1:
            return None
        return self.segment_ids[0] if replace(self, segment_ids=None).is_empty() else None


_RANGES = (
    ("registered_from", "registered_to", "registeredFrom"),
    ("purchases_min", "purchases_max", "purchasesMin"),
    ("revenue_min", "revenue_max", "revenueMin"),
    ("average_check_min", "average_check_max", "averageCheckMin"),
    ("last_purchase_from", "last_purchase_to", "lastPurchaseFrom"),
    ("bonus_balance_min", "bonus_balance_max", "bonusBalanceMin"),
    ("nps_min", "nps_max", "npsMin"),
)
_NOT_NEGATIVE = ("purchases_min", "purchases_max", "revenue_min", "revenue_max")


def checked(candidate: ClientFilter) -> ClientFilter:
    """The filter with its search text tidied, or InvalidInput naming the first bad field."""
    for low, high, label in _RANGES:
        low_value, high_value = getattr(candidate, low), getattr(candidate, high)
        if low_value is not None and high_value is not None and low_value > high_value:
            raise InvalidInput(f"filter.{label}", "the lower bound is above the upper bound")
    for name in _NOT_NEGATIVE:
        value = getattr(candidate, name)
        if value is not None and value < 0:
            raise InvalidInput(f"filter.{camel(name)}", "cannot be negative")
    for name in ("nps_min", "nps_max"):
        value = getattr(candidate, name)
        if value is not None and not 0 <= value <= 10:
            raise InvalidInput(f"filter.{camel(name)}", "an NPS score is 0 to 10")
    days = candidate.birthday_within_days
    if days is not None and not 0 <= days <= MAX_WINDOW_DAYS:
        raise InvalidInput("filter.birthdayWithinDays", f"0 to {MAX_WINDOW_DAYS} days")
    for name in (
        "segment_ids",
        "not_in_segment_ids",
        "outlet_ids",
        "purchased_at_outlet_ids",
        "tier_ids",
    ):
        listed = getattr(candidate, name)
        if listed is not None and len(listed) > MAX_SEGMENTS_IN_FILTER:
            raise InvalidInput(f"filter.{camel(name)}", f"at most {MAX_SEGMENTS_IN_FILTER} ids")
    expiring = candidate.bonuses_expiring_within_days
    if expiring is not None and not 0 <= expiring <= MAX_WINDOW_DAYS:
        raise InvalidInput("filter.bonusesExpiringWithinDays", f"0 to {MAX_WINDOW_DAYS} days")
    month = candidate.birth_month
    if month is not None and not 1 <= month <= 12:
        raise InvalidInput("filter.birthMonth", "a month is 1 to 12")
    return _with_search(candidate)


def _with_search(candidate: ClientFilter) -> ClientFilter:
    if candidate.search is None:
        return candidate
    search = " ".join(candidate.search.split())
    if len(search) > MAX_SEARCH_LENGTH:
        raise InvalidInput("filter.search", f"at most {MAX_SEARCH_LENGTH} characters")
    return _replace(candidate, search=search or None)


def _replace(candidate: ClientFilter, **changes: object) -> ClientFilter:
    values = {item.name: getattr(candidate, item.name) for item in fields(candidate)}
    values.update(changes)
    return ClientFilter(**values)


def camel(name: str) -> str:
    """A field's name as the GraphQL contract spells it (`birth_month` -> `birthMonth`)."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


SortValue = datetime | Decimal | int | str | None


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ends: the sort value and id of its last customer, under one order."""

    order: ClientOrder
    value: SortValue
    customer_id: uuid.UUID

    def encode(self) -> str:
        payload = [self.order.field.value, self.order.direction.value, _dump(self.value)]
        payload.append(str(self.customer_id))
        return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str, order: ClientOrder) -> "Position":
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            field, direction, value, customer = json.loads(base64.urlsafe_b64decode(padded))
            position = cls(
                order=ClientOrder(OrderField(field), Direction(direction)),
                value=_load(OrderField(field), value),
                customer_id=uuid.UUID(customer),
            )
        except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
            raise InvalidInput("after", "not a cursor of this list") from exc
        if position.order != order:
            raise InvalidInput("after", "the cursor belongs to a list in another order")
        return position


def _dump(value: SortValue) -> str | int | None:
    if value is None or isinstance(value, int | str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _load(field: OrderField, raw: object) -> SortValue:
    if raw is None:
        return None
    if field in (OrderField.REGISTERED_AT, OrderField.LAST_PURCHASE_AT):
        return datetime.fromisoformat(str(raw))
    if field in (OrderField.REVENUE, OrderField.BONUS_BALANCE, OrderField.AVERAGE_CHECK):
        return Decimal(str(raw))
    if field in (OrderField.PURCHASES, OrderField.LAST_NPS_SCORE, OrderField.NEXT_BIRTHDAY):
        return int(str(raw))
    return str(raw)
