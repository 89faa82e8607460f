"""What segment jobs do to a batch of members: one statement for all of them."""

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert

from clientcard_customers.db.tables import customer_segments, customers
from clientcard_kit.db.batches import one_of
from clientcard_kit.db.repository import Repository


class SegmentEffects(Repository):
    async def join(
        self, customer_ids: Sequence[uuid.UUID], segment_ids: Sequence[uuid.UUID], now: datetime
    ) -> set[uuid.UUID]:
        """Put the (still existing) customers in the segments; who joined one of them."""
        wanted = (
            sa.func.unnest(
                sa.bindparam("segment_ids", list(segment_ids), type_=ARRAY(UUID(as_uuid=True)))
            )
            .table_valued("segment_id")
            .render_derived(name="wanted")
        )
        chosen = (
            sa.select(
                sa.literal(self._tenant),
                customers.c.id,
                wanted.c.segment_id,
                sa.literal(now, sa.DateTime(timezone=True)),
            )
            .select_from(customers.join(wanted, sa.true()))
            .where(one_of(customers.c.id, customer_ids))
        )
        joined = await self._session.scalars(
            insert(customer_segments)
            .from_select(["tenant_id", "customer_id", "segment_id", "assigned_at"], chosen)
            .on_conflict_do_nothing()
            .returning(customer_segments.c.customer_id)
        )
        return set(joined)

    async def leave(
        self, customer_ids: Sequence[uuid.UUID], segment_ids: Sequence[uuid.UUID]
    ) -> set[uuid.UUID]:
        """Take the customers out of the segments; who left one of them."""
        left = await self._session.scalars(
            sa.delete(customer_segments)
            .where(
                one_of(customer_segments.c.customer_id, customer_ids),
                one_of(customer_segments.c.segment_id, segment_ids),
            )
            .returning(customer_segments.c.customer_id)
        )
        return set(left)
