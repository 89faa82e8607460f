"""The client list read for an export: every match, in the list's order, a batch at a time.

One query on a server-side cursor, with the list's own filters (`db.client_filters`) and
order (`db.client_list.SORT_COLUMNS`, by the same indexes), reading only the columns an
export writes, each customer's segment names gathered in the same statement. Read in one
transaction, it is one snapshot of the list; memory holds one batch.

"Next birthday first" has no column to sort by (its rank depends on today, see
`db.birthday_order`), so that order is read the way the list pages it, a page at a time.
"""

from collections.abc import AsyncIterator
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by

from clientcard_customers.db import client_search
from clientcard_customers.db.client_filters import conditions
from clientcard_customers.db.client_list import SORT_COLUMNS, ClientList
from clientcard_customers.db.segments import SegmentRepository
from clientcard_customers.db.tables import customer_segments, customers, segments
from clientcard_customers.domain.client_list import (
    ClientFilter,
    ClientOrder,
    Direction,
    OrderField,
    Position,
)
from clientcard_customers.domain.exports import ClientRow
from clientcard_kit.db.repository import Repository

c = customers.c
# In ClientRow's order; segments are the statement's own.
_BEFORE_SEGMENTS = [c.first_name, c.last_name, c.phone, c.email, c.gender, c.birth_date]
_BEFORE_SEGMENTS += [c.registered_at, c.source, c.outlet_id]
_AFTER_SEGMENTS = [c.purchases, c.revenue, c.average_check, c.last_purchase_at]
_AFTER_SEGMENTS += [c.bonus_balance, c.messenger_status, c.default_channel, c.last_nps_score]
# The customer's segment names as the card lists them (by name, ignoring case).
_SEGMENT_NAMES = (
    sa.select(
        sa.func.array_agg(aggregate_order_by(segments.c.name, sa.func.lower(segments.c.name)))
    )
    .select_from(customer_segments.join(segments, segments.c.id == customer_segments.c.segment_id))
    .where(customer_segments.c.customer_id == c.id)
    .scalar_subquery()
)


class ExportRows(Repository):
    async def batches(
        self,
        client_filter: ClientFilter,
        order: ClientOrder,
        today: date,
        size: int,
        *,
        with_segments: bool,
    ) -> AsyncIterator[list[ClientRow]]:
        """The matching customers in the list's order, `size` at a time."""
        if order.field is OrderField.NEXT_BIRTHDAY:
            pages = self._pages(client_filter, order, today, size, with_segments=with_segments)
            async for page in pages:
                yield page
            return
        few = await client_search.few_matches(self._session, client_filter.search)
        sort = SORT_COLUMNS[order.field]
        named = _SEGMENT_NAMES if with_segments else sa.null()
        query = sa.select(*_BEFORE_SEGMENTS, named, *_AFTER_SEGMENTS).where(
            *conditions(client_filter, today, ids_first=few)
        )
        if order.direction is Direction.DESC:
            query = query.order_by(sort.desc(), c.id.desc())
        else:
            query = query.order_by(sort.asc(), c.id.asc())
        result = await self._session.stream(query.execution_options(yield_per=size))
        async for part in result.partitions(size):
            yield [ClientRow._make(row) for row in part]

    async def _pages(
        self,
        client_filter: ClientFilter,
        order: ClientOrder,
        today: date,
        size: int,
        *,
        with_segments: bool,
    ) -> AsyncIterator[list[ClientRow]]:
        listed = ClientList(self._session, self._tenant)
        held = SegmentRepository(self._session, self._tenant)
        after: Position | None = None
        while True:
            found = await listed.page(client_filter, order, size, after, today)
            page = [customer for customer, _ in found[:size]]
            names = await held.of_customers(each.id for each in page) if with_segments else {}
            yield [
                ClientRow.of(each, [segment.name for segment in names.get(each.id, ())])
                for each in page
            ]
            if len(found) <= size:
                return
            after = found[size - 1][1]
