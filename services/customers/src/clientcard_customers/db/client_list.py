"""The client list query: filters, order and keyset paging over customers and their figures.

Every order has an index `(tenant_id, <sort value>, id)`; a page is the next `first` rows of
that index after the cursor's position, with the filters applied as the index is walked.

The search takes one of two ways, by how many customers the text is likely to match
(`db.client_search`). PostgreSQL cannot weigh the two itself: under row-level security it
may not use the trigram index for a condition inside the list's query, so the ids are
gathered in a materialised step of their own.

`totalCount` is exact and reads as little as it can (migrations 0003 to 0006): the two
lists opened most read counts kept by triggers, and so does a filter of nothing but
gender, messenger status and channel (the counts of its audience cells, folded from the
changes triggers append); a search alone, or with nothing but those three, counts the
matches in `customer_search` (which also holds each customer's audience cell), never
touching `customers`; any other filter is an index-only scan of the range of one filtered
column, whose index carries every other filtered figure, read only for the combinations of
gender, messenger status and channel the filter allows. Money is compared in whole cents
so that its range bounds that scan under row-level security.
"""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from clientcard_contracts.enums import MessengerStatus
from clientcard_customers.db import audience_counts, client_search
from clientcard_customers.db.customers import to_customer
from clientcard_customers.db.tables import (
    AUDIENCE,
    customer_outlets,
    customer_search,
    customer_segments,
    customers,
    segments,
    tenant_customer_counts,
)
from clientcard_customers.domain.birthdays import birthday_ranges
from clientcard_customers.domain.client_list import (
    NPS_SCORES,
    ClientFilter,
    ClientOrder,
    Direction,
    NpsCategory,
    OrderField,
    Position,
    SortValue,
)
from clientcard_customers.domain.records import Customer
from clientcard_kit.db.repository import Repository

# No stored amount comes near this (numeric(14, 2)); a filter's bound beyond it is clamped
# to it, which keeps its meaning and keeps the amount in cents within bigint.
_BEYOND_ANY_AMOUNT = Decimal(10) ** 13

# Customers who never bought sort as if their last purchase were long ago; the same
# expression is indexed (migration 0001), so it must stay exactly this.
NEVER = datetime(1900, 1, 1, tzinfo=UTC)
_LAST_PURCHASE = sa.func.coalesce(
    customers.c.last_purchase_at,
    sa.literal_column("'1900-01-01 00:00:00+00'::timestamptz"),
)
SORT_COLUMNS: dict[OrderField, ColumnElement[SortValue]] = {
    OrderField.REGISTERED_AT: customers.c.registered_at,
    OrderField.LAST_PURCHASE_AT: _LAST_PURCHASE,
    OrderField.REVENUE: customers.c.revenue,
    OrderField.PURCHASES: customers.c.purchases,
    OrderField.BONUS_BALANCE: customers.c.bonus_balance,
    OrderField.NAME: customers.c.name_key,
    OrderField.AVERAGE_CHECK: customers.c.average_check,
    # Never answered sorts below a score of 0; the same expression is indexed (0009).
    OrderField.LAST_NPS_SCORE: sa.func.coalesce(
        customers.c.last_nps_score, sa.literal_column("-1")
    ),
}


class ClientList(Repository):
    async def page(
        self,
        client_filter: ClientFilter,
        order: ClientOrder,
        first: int,
        after: Position | None,
        today: date,
    ) -> list[tuple[Customer, Position]]:
        """Up to `first + 1` customers (one more tells whether a next page exists)."""
        sort = SORT_COLUMNS[order.field]
        few = await client_search.few_matches(self._session, client_filter.search)
        query = sa.select(customers, sort.label("sort_value")).where(
            *conditions(client_filter, today, ids_first=few)
        )
        if after is not None:
            query = query.where(_beyond(sort, order.direction, after))
        if order.direction is Direction.DESC:
            query = query.order_by(sort.desc(), customers.c.id.desc())
        else:
            query = query.order_by(sort.asc(), customers.c.id.asc())
        rows = await self._session.execute(query.limit(first + 1))
        return [
            (to_customer(row._mapping), Position(order, row.sort_value, row.id)) for row in rows
        ]

    async def count(self, client_filter: ClientFilter, today: date) -> int:
        # The two lists opened most read counts that triggers keep (migration 0003).
        if client_filter.is_empty():
            return await self._number(sa.select(tenant_customer_counts.c.customers))
        segment = client_filter.only_segment()
        if segment is not None:
            return await self._number(sa.select(segments.c.members).where(segments.c.id == segment))
        if not client_filter.search and _audience_only(client_filter):
            # Gender, messenger status and channel alone: the kept counts of the filter's
            # cells (migration 0006), whatever share of the tenant they hold.
            return await audience_counts.customers_in(self._session, audience_cells(client_filter))
        if client_filter.search and _audience_only(replace(client_filter, search=None)):
            # The narrow copy answers alone, audience cell included (migration 0005);
            # `customers` is not read at all.
            matches = client_search.tenant_matches(client_filter.search)
            if not replace(client_filter, search=None).is_empty():
                matches.append(customer_search.c.audience_cell.in_(audience_cells(client_filter)))
            return await self._number(
                sa.select(sa.func.count()).select_from(customer_search).where(*matches)
            )
        counted = conditions(client_filter, today, ids_first=True)
        if _cells_bound_a_count(client_filter):
            counted.append(customers.c.audience_cell.in_(audience_cells(client_filter)))
        return await self._number(sa.select(sa.func.count()).select_from(customers).where(*counted))

    async def _number(self, query: sa.Select[Any]) -> int:
        return int(await self._session.scalar(query) or 0)


def _beyond(
    sort: ColumnElement[SortValue], direction: Direction, after: Position
) -> ColumnElement[bool]:
    mine = sa.tuple_(sort, customers.c.id)
    theirs = sa.tuple_(sa.literal(after.value), sa.literal(after.customer_id, sa.Uuid))
    return mine < theirs if direction is Direction.DESC else mine > theirs


def conditions(f: ClientFilter, today: date, *, ids_first: bool) -> list[ColumnElement[bool]]:
    c = customers.c
    found: list[ColumnElement[bool]] = []
    if f.search and ids_first:
        found.append(c.id.in_(client_search.matching_ids(f.search)))
    elif f.search:
        found += client_search.each_holds(c.search_text, f.search)
    if f.segment_ids:
        found.append(_in_segments(f.segment_ids))
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
    return found + _v2_conditions(f)


def _v2_conditions(f: ClientFilter) -> list[ColumnElement[bool]]:
    """Registration outlet and source, messengers, segments left out, birth month, NPS."""
    c = customers.c
    found: list[ColumnElement[bool]] = []
    if f.outlet_ids:
        found.append(c.outlet_id.in_(f.outlet_ids))
    if f.purchased_at_outlet_ids:
        found.append(_bought_at(f.purchased_at_outlet_ids))
    if f.registration_sources:
        found.append(c.source.in_([source.value for source in f.registration_sources]))
    if f.has_messenger is not None:
        active = c.messenger_status == MessengerStatus.ACTIVE.value
        found.append(active if f.has_messenger else sa.func.coalesce(~active, sa.true()))
    if f.not_in_segment_ids:
        found.append(~_in_segments(f.not_in_segment_ids))
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


def _audience_only(f: ClientFilter) -> bool:
    """Whether `f` asks for nothing but gender, messenger status and channel (or nothing)."""
    return replace(f, gender=None, messenger_status=None, channel=None).is_empty()


def _cells_bound_a_count(f: ClientFilter) -> bool:
    """Whether a count may read an index keyed by the audience cell, then a range.

    Those indexes serve ranges of last purchase, NPS and money, and filters without any
    range. A range of registration, purchases or birthday has an index of its own, where
    the cells would only be one more condition to check in every entry.
    """
    keyed_by_cell = (
        f.last_purchase_from,
        f.last_purchase_to,
        f.nps_min,
        f.nps_max,
        f.revenue_min,
        f.revenue_max,
        f.average_check_min,
        f.average_check_max,
        f.bonus_balance_min,
        f.bonus_balance_max,
    )
    own_index = (
        f.registered_from,
        f.registered_to,
        f.purchases_min,
        f.purchases_max,
        f.birthday_within_days,
    )
    return any(b is not None for b in keyed_by_cell) or all(b is None for b in own_index)


def audience_cells(f: ClientFilter) -> list[int]:
    """The cells of gender × messenger status × channel that customers `f` matches are in.

    Implied by the filter's own conditions, so it never changes a count; it lets the
    counting indexes (keyed by the cell, then a range) read only those cells' ranges.
    """
    asked = (f.gender.value if f.gender else None, f.messenger_status, f.channel)
    cells = [0]
    for (_, known), value in zip(AUDIENCE, asked, strict=True):
        if value is None:  # not filtered by: every value, known or not
            slots: list[int] = list(range(len(known) + 1))
        else:
            slots = [known.index(value) if value in known else len(known)]
        cells = [cell * (len(known) + 1) + slot for cell in cells for slot in slots]
    return cells


def _in_segments(segment_ids: tuple[uuid.UUID, ...]) -> ColumnElement[bool]:
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
