"""Segments and who is in them."""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError

from clientcard_customers.db.tables import customer_segments, dynamic_segment_tenants, segments
from clientcard_customers.domain import segment_filters
from clientcard_customers.domain.client_list import ClientFilter
from clientcard_customers.domain.records import Segment
from clientcard_kit.db.batches import batch_ids, one_of_batch
from clientcard_kit.db.records import row_of
from clientcard_kit.db.repository import Repository

_SEGMENT_COLUMNS = (segments.c.id, segments.c.name, segments.c.created_at, segments.c.filter)


_SIZES = sa.select(segments.c.id, segments.c.members).where(one_of_batch(segments.c.id))
_OF_CUSTOMERS = (
    sa.select(customer_segments.c.customer_id, *_SEGMENT_COLUMNS)
    .join(segments, segments.c.id == customer_segments.c.segment_id)
    .where(one_of_batch(customer_segments.c.customer_id))
    .order_by(sa.func.lower(segments.c.name))
)


class SegmentRepository(Repository):
    async def all(self) -> list[Segment]:
        rows = await self._session.execute(
            sa.select(*_SEGMENT_COLUMNS).order_by(sa.func.lower(segments.c.name))
        )
        return [_segment(*row) for row in rows]

    async def dynamic(self) -> list[Segment]:
        """The tenant's dynamic segments, oldest first."""
        rows = await self._session.execute(
            sa.select(*_SEGMENT_COLUMNS)
            .where(segments.c.filter.is_not(None))
            .order_by(segments.c.created_at, segments.c.id)
        )
        return [_segment(*row) for row in rows]

    async def get_many(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Segment]:
        rows = await self._session.execute(
            sa.select(*_SEGMENT_COLUMNS).where(segments.c.id.in_(list(ids)))
        )
        return {row.id: _segment(*row) for row in rows}

    async def add(self, segment: Segment) -> bool:
        """Insert; False when the tenant has a segment of that name (in any letter case)."""
        try:
            async with self._session.begin_nested():
                await self._session.execute(
                    sa.insert(segments).values(
                        tenant_id=self._tenant,
                        **row_of(segment, filter=_document(segment.filter)),
                    )
                )
                if segment.dynamic:
                    await self._session.execute(
                        insert(dynamic_segment_tenants)
                        .values(tenant_id=self._tenant)
                        .on_conflict_do_nothing()
                    )
        except IntegrityError:
            return False
        return True

    async def rename(self, segment_id: uuid.UUID, name: str) -> bool:
        try:
            async with self._session.begin_nested():
                await self._session.execute(
                    sa.update(segments).where(segments.c.id == segment_id).values(name=name)
                )
        except IntegrityError:
            return False
        return True

    async def remove(self, segment_id: uuid.UUID) -> list[uuid.UUID]:
        """Delete the segment; returns the customers who were in it."""
        members = await self.members(segment_id)
        await self._session.execute(sa.delete(segments).where(segments.c.id == segment_id))
        return members

    async def members(self, segment_id: uuid.UUID) -> list[uuid.UUID]:
        rows = await self._session.scalars(
            sa.select(customer_segments.c.customer_id).where(
                customer_segments.c.segment_id == segment_id
            )
        )
        return list(rows)

    async def counts(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
        """Members of each segment, as the trigger of migration 0003 keeps them."""
        rows = await self._session.execute(_SIZES, batch_ids(ids))
        return {segment_id: int(count) for segment_id, count in rows}

    async def of_customers(
        self, customer_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, list[Segment]]:
        rows = await self._session.execute(_OF_CUSTOMERS, batch_ids(customer_ids))
        found: dict[uuid.UUID, list[Segment]] = defaultdict(list)
        for customer_id, *segment in rows:
            found[customer_id].append(_segment(*segment))
        return found

    async def assign(
        self, customer_id: uuid.UUID, segment_ids: Iterable[uuid.UUID], now: datetime
    ) -> None:
        values = [
            {
                "tenant_id": self._tenant,
                "customer_id": customer_id,
                "segment_id": segment_id,
                "assigned_at": now,
            }
            for segment_id in segment_ids
        ]
        if values:
            await self._session.execute(
                insert(customer_segments).values(values).on_conflict_do_nothing()
            )

    async def unassign(self, customer_id: uuid.UUID, segment_ids: Iterable[uuid.UUID]) -> None:
        await self._session.execute(
            sa.delete(customer_segments).where(
                customer_segments.c.customer_id == customer_id,
                customer_segments.c.segment_id.in_(list(segment_ids)),
            )
        )


def _segment(segment_id: uuid.UUID, name: str, created_at: datetime, document: object) -> Segment:
    found = None if document is None else segment_filters.from_document(document)
    return Segment(segment_id, name, created_at, found)


def _document(client_filter: ClientFilter | None) -> dict[str, object] | None:
    return None if client_filter is None else segment_filters.to_document(client_filter)
