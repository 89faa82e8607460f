"""The client list query: filters, order and keyset paging over customers and their figures.

Every order has an index `(tenant_id, <sort value>, id)`; a page is the next `first` rows of
that index after the cursor's position, with the filters applied as the index is walked.

The search takes one of two ways, by how many customers the text is likely to match.
Few: their ids come first from the trigram index of `customer_search`, and only they are
sorted. Many: the order's index is walked and each customer's own text checked, which
reaches a page sooner. PostgreSQL cannot weigh the two itself: under row-level security
it may not use the trigram index for a condition inside the list's query, so the ids are
gathered in a materialised step of their own, and the way is chosen here from the
planner's estimate of the matches. `totalCount` has to see every match, so it always
starts from the ids.
"""

import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from clientcard_customers.db.customers import to_customer
from clientcard_customers.db.tables import (
    customer_search,
    customer_segments,
    customers,
    segments,
    tenant_customer_counts,
)
from clientcard_customers.domain.birthdays import birthday_ranges
from clientcard_customers.domain.client_list import (
    ClientFilter,
    ClientOrder,
    Direction,
    OrderField,
    Position,
    SortValue,
)
from clientcard_customers.domain.records import Customer
from clientcard_kit.db.database import TENANT_SETTING

# Above this estimate of matching customers a search walks the order's index instead.
FEW_MATCHES = 20_000

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
}


class ClientList:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

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
        query = sa.select(customers, sort.label("sort_value")).where(
            *conditions(client_filter, today, ids_first=await self._few_matches(client_filter))
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
            kept = await self._session.scalar(sa.select(tenant_customer_counts.c.customers))
            return int(kept or 0)
        segment = client_filter.only_segment()
        if segment is not None:
            members = await self._session.scalar(
                sa.select(segments.c.members).where(segments.c.id == segment)
            )
            return int(members or 0)
        total = await self._session.scalar(
            sa.select(sa.func.count())
            .select_from(customers)
            .where(*conditions(client_filter, today, ids_first=True))
        )
        return int(total or 0)

    async def _few_matches(self, client_filter: ClientFilter) -> bool:
        if not client_filter.search:
            return False
        plan = await self._session.scalar(
            sa.text(
                "EXPLAIN (FORMAT JSON) SELECT 1 FROM customer_search "
                "WHERE search_text LIKE :pattern ESCAPE '/'"
            ),
            {"pattern": f"%{_escaped(client_filter.search.casefold())}%"},
        )
        return bool(plan[0]["Plan"]["Plan Rows"] <= FEW_MATCHES)


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
        found.append(c.id.in_(_matching_search(f.search)))
    elif f.search:
        holds = sa.func.search_text_holds(c.search_text, f.search.casefold(), type_=sa.Boolean)
        found.append(holds)
    if f.segment_ids:
        found.append(_in_segments(f.segment_ids))
    if f.gender is not None:
        found.append(c.gender == f.gender.value)
    found += _range(c.registered_at, f.registered_from, f.registered_to)
    found += _range(c.purchases, f.purchases_min, f.purchases_max)
    found += _range(c.revenue, f.revenue_min, f.revenue_max)
    found += _range(c.average_check, f.average_check_min, f.average_check_max)
    found += _range(c.last_purchase_at, f.last_purchase_from, f.last_purchase_to)
    found += _range(c.bonus_balance, f.bonus_balance_min, f.bonus_balance_max)
    found += _range(c.last_nps_score, f.nps_min, f.nps_max)
    if f.messenger_status is not None:
        found.append(c.messenger_status == f.messenger_status)
    if f.channel is not None:
        found.append(c.default_channel == f.channel)
    if f.birthday_within_days is not None:
        ranges = birthday_ranges(today, f.birthday_within_days)
        found.append(sa.or_(*(c.birth_month_day.between(low, high) for low, high in ranges)))
    return found


def _matching_search(text: str) -> sa.Select[tuple[uuid.UUID]]:
    """Ids of the transaction's tenant's customers whose names, phone or e-mail hold `text`.

    Materialised, so that PostgreSQL plans it on its own and may use the trigram index.
    """
    s = customer_search.c
    matches = (
        sa.select(s.customer_id)
        .where(
            s.tenant_id == sa.func.current_setting(TENANT_SETTING, True),
            s.search_text.contains(text.casefold(), autoescape=True),
        )
        .cte("search_matches")
        .prefix_with("MATERIALIZED")
    )
    return sa.select(matches.c.customer_id)


def _escaped(text: str) -> str:
    """`text` as a LIKE pattern that matches it literally (as `autoescape=True` does)."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _in_segments(segment_ids: tuple[uuid.UUID, ...]) -> ColumnElement[bool]:
    return sa.exists().where(
        customer_segments.c.customer_id == customers.c.id,
        customer_segments.c.segment_id.in_(segment_ids),
    )


def _range(column: ColumnElement[object], low: object, high: object) -> list[ColumnElement[bool]]:
    bounds: list[ColumnElement[bool]] = []
    if low is not None:
        bounds.append(column >= low)
    if high is not None:
        bounds.append(column <= high)
    return bounds
