"""What a client list's filter asks of a customer, as SQL conditions on `customers`.

The list's pages (`db.client_list`), its counts (`db.client_counts`) and dynamic segments
(`db.memberships`) all read a filter through `conditions`, so the three agree on who
matches. Money is compared in whole cents so that its range bounds an index scan under
row-level security.
"""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from clientcard_contracts.enums import MessengerStatus
from clientcard_customers.db import client_search
from clientcard_customers.db.tables import AUDIENCE, customer_outlets, customer_segments, customers
from clientcard_customers.domain.birthdays import birthday_ranges
from clientcard_customers.domain.client_list import NPS_SCORES, ClientFilter, NpsCategory

# No stored amount comes near this (numeric(14, 2)); a filter's bound beyond it is clamped
# to it, which keeps its meaning and keeps the amount in cents within bigint.
_BEYOND_ANY_AMOUNT = Decimal(10) ** 13


def conditions(f: ClientFilter, today: date, *, ids_first: bool) -> list[ColumnElement[bool]]:
    c = customers.c
    found: list[ColumnElement[bool]] = []
    if f.search and ids_first:
        found.append(c.id.in_(client_search.matching_ids(f.search)))
    elif f.search:
        found += client_search.each_holds(c.search_text, f.search)
    if f.segment_ids:
        found.append(in_segments(f.segment_ids))
    if f.gender is not None:
        found.append(c.gender == f.gender.value)
    found += _range(c.registered_at, f.registered_from, f.registered_to)
    found += _range(c.purchases, f.purchases_min, f.purchases_max)
    found += _money_range(c.revenue_cents, f.revenue_min, f.revenue_max)
    found += _money_range(c.average_check_cents, f.average_check_min, f.average_check_max)
    found += _range(c.last_purchase_at, f.last_purchase_from, f.last_purchase_to)
    found += _money_range(c.bonus_balance_cents, f.bonus_balance_min, f.bonus_balance_max)
    found += _range(c.last_nps_score, f.nps_min, f.nps_max)
    if f.messenger_status is not None:
        found.append(c.messenger_status == f.messenger_status)
    if f.channel is not None:
        found.append(c.default_channel == f.channel)
    if f.birthday_within_days is not None:
        ranges = birthday_ranges(today, f.birthday_within_days)
        found.append(sa.or_(*(c.birth_month_day.between(low, high) for low, high in ranges)))
    return found + _v2_conditions(f, today)


def _v2_conditions(f: ClientFilter, today: date) -> list[ColumnElement[bool]]:
    """Registration outlet and source, outlets bought at, bonuses burning soon, messengers,
    segments left out, birth month, NPS."""
    c = customers.c
    found: list[ColumnElement[bool]] = []
    if f.outlet_ids:
        found.append(c.outlet_id.in_(f.outlet_ids))
    if f.bonuses_expiring_within_days is not None:
        # Counted in days from today's start, as a birthday window is.
        until = datetime.combine(today, time.min, UTC) + timedelta(
            days=f.bonuses_expiring_within_days + 1
        )
        found.append(c.bonuses_expiring_at < until)
    if f.purchased_at_outlet_ids:
        found.append(_bought_at(f.purchased_at_outlet_ids))
    if f.tier_ids:
        found.append(c.tier_id.in_(f.tier_ids))
    if f.registration_sources:
        found.append(c.source.in_([source.value for source in f.registration_sources]))
    if f.has_messenger is not None:
        active = c.messenger_status == MessengerStatus.ACTIVE.value
        found.append(active if f.has_messenger else sa.func.coalesce(~active, sa.true()))
    if f.not_in_segment_ids:
        found.append(~in_segments(f.not_in_segment_ids))
    if f.birth_month is not None:
        found.append(month_days(c.birth_month_day, f.birth_month))
    if f.nps_category is NpsCategory.NONE:
        found.append(c.last_nps_score.is_(None))
    elif f.nps_category is not None:
        found.append(c.last_nps_score.between(*NPS_SCORES[f.nps_category]))
    return found


def _bought_at(outlet_ids: tuple[str, ...]) -> ColumnElement[bool]:
    return sa.exists().where(
        customer_outlets.c.customer_id == customers.c.id,
        customer_outlets.c.outlet_id.in_(outlet_ids),
    )


def month_days(month_day: ColumnElement[int], month: int) -> ColumnElement[bool]:
    """Birthdays in the month (month-day numbers are month × 100 + day)."""
    return month_day.between(month * 100 + 1, month * 100 + 31)


def audience_cells(f: ClientFilter) -> list[int]:
    """The cells of gender × messenger status × channel that customers `f` matches are in.

    Implied by the filter's own conditions, so it never changes a count; it lets the
    counting indexes (keyed by the cell, then a range) read only those cells' ranges.
    """
    asked = (f.gender.value if f.gender else None, f.messenger_status, f.channel)
    cells = [0]
    for (column, known), value in zip(AUDIENCE, asked, strict=True):
        if value is None:  # not filtered by: every value, known or not
            slots: list[int] = list(range(len(known) + 1))
        else:
            slots = [known.index(value) if value in known else len(known)]
        if column == "messenger_status" and f.has_messenger is not None:
            # With a messenger is the ACTIVE status; without, any other or none.
            active = known.index(MessengerStatus.ACTIVE.value)
            slots = [slot for slot in slots if (slot == active) == f.has_messenger]
        cells = [cell * (len(known) + 1) + slot for cell in cells for slot in slots]
    return cells


def in_segments(segment_ids: tuple[uuid.UUID, ...]) -> ColumnElement[bool]:
    return sa.exists().where(
        customer_segments.c.customer_id == customers.c.id,
        customer_segments.c.segment_id.in_(segment_ids),
    )


def _money_range(
    cents: ColumnElement[object], low: Decimal | None, high: Decimal | None
) -> list[ColumnElement[bool]]:
    """An amount's range as whole cents: `>= 10.005` is `>= 1001` cents, `<= 10.005` `<= 1000`."""
    return _range(
        cents,
        None if low is None else _in_cents(low, ROUND_CEILING),
        None if high is None else _in_cents(high, ROUND_FLOOR),
    )


def _in_cents(amount: Decimal, rounding: str) -> int:
    clamped = max(-_BEYOND_ANY_AMOUNT, min(_BEYOND_ANY_AMOUNT, amount))
    return int((clamped * 100).to_integral_value(rounding=rounding))


def _range(column: ColumnElement[object], low: object, high: object) -> list[ColumnElement[bool]]:
    bounds: list[ColumnElement[bool]] = []
    if low is not None:
        bounds.append(column >= low)
    if high is not None:
        bounds.append(column <= high)
    return bounds
