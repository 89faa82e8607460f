"""A dynamic segment's members made equal to its filter, in two statements.

The customers the filter matches and the segment lacks join it; members it no longer
matches leave it. Either statement can be limited to some customers (those whose figures
or profile just changed) or cover the tenant (a new segment, the clock's re-check). The
trigger of migration 0003 keeps `segments.members` while rows come and go.
"""

import uuid
from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_customers.db.client_filters import conditions
from clientcard_customers.db.tables import customer_segments, customers, dynamic_segment_tenants
from clientcard_customers.domain.records import Segment
from clientcard_kit.db.repository import Repository


async def tenants_with_dynamic_segments(session: AsyncSession) -> list[str]:
    """Every tenant that has had a dynamic segment (read outside any tenant)."""
    return list(await session.scalars(sa.select(dynamic_segment_tenants.c.tenant_id)))


class DynamicMemberships(Repository):
    async def refresh(
        self, segment: Segment, today: date, among: Sequence[uuid.UUID] | None, now: datetime
    ) -> set[uuid.UUID]:
        """Join the matching customers, drop the others; returns whose membership changed."""
        if segment.filter is None:
            raise ValueError("only a dynamic segment follows a filter")
        # Checked row by row (not through the search's id list): the rows are few or all.
        matches = conditions(segment.filter, today, ids_first=False)
        joined = await self._session.scalars(self._join(segment.id, matches, among, now))
        left = await self._session.scalars(self._leave(segment.id, matches, among))
        return set(joined) | set(left)

    def _join(
        self,
        segment_id: uuid.UUID,
        matches: list[sa.ColumnElement[bool]],
        among: Sequence[uuid.UUID] | None,
        now: datetime,
    ) -> sa.Executable:
        chosen = sa.select(
            sa.literal(self._tenant),
            customers.c.id,
            sa.literal(segment_id, UUID(as_uuid=True)),
            sa.literal(now, sa.DateTime(timezone=True)),
        ).where(*matches, *_among(customers.c.id, among))
        return (
            insert(customer_segments)
            .from_select(["tenant_id", "customer_id", "segment_id", "assigned_at"], chosen)
            .on_conflict_do_nothing()
            .returning(customer_segments.c.customer_id)
        )

    def _leave(
        self,
        segment_id: uuid.UUID,
        matches: list[sa.ColumnElement[bool]],
        among: Sequence[uuid.UUID] | None,
    ) -> sa.Executable:
        still = sa.exists().where(customers.c.id == customer_segments.c.customer_id, *matches)
        return (
            sa.delete(customer_segments)
            .where(
                customer_segments.c.segment_id == segment_id,
                *_among(customer_segments.c.customer_id, among),
                ~still,
            )
            .returning(customer_segments.c.customer_id)
        )


def _among(
    column: sa.ColumnElement[uuid.UUID], among: Sequence[uuid.UUID] | None
) -> list[sa.ColumnElement[bool]]:
    if among is None:
        return []
    ids = sa.bindparam(None, list(among), type_=ARRAY(UUID(as_uuid=True)))
    return [column == sa.any_(ids)]
