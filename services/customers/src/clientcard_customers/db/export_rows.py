"""The client list read for an export: every match, in the list's order, a batch at a time.

One query on a server-side cursor, with the list's own filters (`db.client_filters`) and
order (`db.client_list.SORT_COLUMNS`, by the same indexes), reading only the columns an
export writes, each customer's segments gathered in the same statement. Read in one
transaction, it is one snapshot of the list; memory holds one batch.

"Next birthday first" has no column to sort by (its rank depends on today, see
`db.birthday_order`), so that order is read the way the list pages it, a page at a time.
"""

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import cast

import sqlalchemy as sa

from clientcard_customers.db import client_search
from clientcard_customers.db.client_filters import conditions
from clientcard_customers.db.client_list import SORT_COLUMNS, ClientList
from clientcard_customers.db.segments import SegmentRepository
from clientcard_customers.db.tables import customer_segments, customers
from clientcard_customers.domain.client_list import (
    ClientFilter,
    ClientOrder,
    Direction,
    OrderField,
    Position,
)
from clientcard_customers.domain.exports import ClientRow
from clientcard_customers.domain.records import Segment
from clientcard_kit.db.repository import Repository

c = customers.c
# In ClientRow's order; segments are the statement's own.
_BEFORE_SEGMENTS = [c.first_name, c.last_name, c.phone, c.email, c.gender, c.birth_date]
_BEFORE_SEGMENTS += [c.registered_at, c.source, c.outlet_id]
_AFTER_SEGMENTS = [c.purchases, c.revenue, c.average_check, c.last_purchase_at]
_AFTER_SEGMENTS += [c.bonus_balance, c.messenger_status, c.default_channel, c.last_nps_score]
# The ids of the customer's segments, from the primary key's index alone; their names are
# put in by `_Names` (a join per customer would cost more than the rest of the row).
_SEGMENT_IDS = (
    sa.select(sa.func.array_agg(customer_segments.c.segment_id))
    .where(customer_segments.c.customer_id == c.id)
    .scalar_subquery()
)


_READ_ALL = sa.text("SET LOCAL cursor_tuple_fraction = 1.0")


class _Names:
    """Segment ids to their names, in the order the card lists them (by name, ignoring
    case); each set of ids met is named once."""

    def __init__(self, in_order: list[Segment]) -> None:
        self._rank = {segment.id: index for index, segment in enumerate(in_order)}
        self._name = {segment.id: segment.name for segment in in_order}
        self._named: dict[tuple[uuid.UUID, ...], tuple[str, ...]] = {}

    def put_in(self, row: ClientRow) -> ClientRow:
        if not row.segments:
            return row
        # The statement puts the ids where the names go.
        ids = tuple(cast(Sequence[uuid.UUID], row.segments))
        names = self._named.get(ids)
        if names is None:
            held = sorted(ids, key=self._rank.__getitem__)
            names = self._named[ids] = tuple(self._name[each] for each in held)
        return row._replace(segments=names)


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
        names = _Names(await SegmentRepository(self._session, self._tenant).all())
        sort = SORT_COLUMNS[order.field]
        held = _SEGMENT_IDS if with_segments else sa.null()
        query = sa.select(*_BEFORE_SEGMENTS, held, *_AFTER_SEGMENTS).where(
            *conditions(client_filter, today, ids_first=few)
        )
        if order.direction is Direction.DESC:
            query = query.order_by(sort.desc(), c.id.desc())
        else:
            query = query.order_by(sort.asc(), c.id.asc())
        # The whole result is read: the planner may choose the plan that reads all fastest.
        await self._session.execute(_READ_ALL)
        result = await self._session.stream(query.execution_options(yield_per=size))
        async for part in result.partitions(size):
            yield [names.put_in(ClientRow._make(row)) for row in part]

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
