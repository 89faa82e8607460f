"""The client list query: filters, order and keyset paging over customers and their figures.

Every order has an index `(tenant_id, <sort value>, id)`; a page is the next `first` rows of
that index after the cursor's position, with the filters applied as the index is walked.

The search takes one of two ways, by how many customers the text is likely to match
(`db.client_search`). PostgreSQL cannot weigh the two itself: under row-level security it
may not use the trigram index for a condition inside the list's query, so the ids are
gathered in a materialised step of their own.

What a filter asks is `db.client_filters`; `totalCount` is `db.client_counts`.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from clientcard_customers.db import birthday_order, client_counts, client_search
from clientcard_customers.db.client_filters import conditions
from clientcard_customers.db.customers import to_customer
from clientcard_customers.db.tables import (
    customers,
)
from clientcard_customers.domain.client_list import (
    ClientFilter,
    ClientOrder,
    Direction,
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
# NEXT_BIRTHDAY has no column: its rank depends on today (`db.birthday_order`).
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
        few = await client_search.few_matches(self._session, client_filter.search)
        where = conditions(client_filter, today, ids_first=few)
        if order.field is OrderField.NEXT_BIRTHDAY:
            descending = order.direction is Direction.DESC
            rows = await birthday_order.page(
                self._session, where, descending, first + 1, after, today
            )
        else:
            rows = await self._walk(where, order, first + 1, after)
        return [
            (to_customer(row._mapping), Position(order, row.sort_value, row.id)) for row in rows
        ]

    async def _walk(
        self,
        where: Sequence[ColumnElement[bool]],
        order: ClientOrder,
        limit: int,
        after: Position | None,
    ) -> Sequence[sa.Row[tuple[object, ...]]]:
        """The next rows along the order's index `(tenant_id, <sort value>, id)`."""
        sort = SORT_COLUMNS[order.field]
        query = sa.select(customers, sort.label("sort_value")).where(*where)
        if after is not None:
            query = query.where(_beyond(sort, order.direction, after))
        if order.direction is Direction.DESC:
            query = query.order_by(sort.desc(), customers.c.id.desc())
        else:
            query = query.order_by(sort.asc(), customers.c.id.asc())
        return (await self._session.execute(query.limit(limit))).all()

    async def count(self, client_filter: ClientFilter, today: date) -> int:
        return await client_counts.count(self._session, client_filter, today)


def _beyond(
    sort: ColumnElement[SortValue], direction: Direction, after: Position
) -> ColumnElement[bool]:
    mine = sa.tuple_(sort, customers.c.id)
    theirs = sa.tuple_(sa.literal(after.value), sa.literal(after.customer_id, sa.Uuid))
    return mine < theirs if direction is Direction.DESC else mine > theirs
