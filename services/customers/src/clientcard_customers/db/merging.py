"""Merges of duplicate cards: their records, the locks a merge takes, and moving the
duplicate's notes, manual segments and outlets to the survivor (a statement each)."""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from clientcard_customers.db.customers import to_customer
from clientcard_customers.db.tables import (
    customer_outlets,
    customer_segments,
    customers,
    merges,
    notes,
    segments,
)
from clientcard_customers.domain.merging import Merge
from clientcard_customers.domain.records import Customer
from clientcard_kit.db.repository import Repository


def _merge(row: Any) -> Merge:
    return Merge(
        duplicate_id=row.duplicate_id,
        survivor_id=row.survivor_id,
        pending=tuple(row.pending),
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


# Each duplicate's chain of merges followed to its end; a card is merged away at most
# once and never into itself, so the chain is short and has no cycle (the depth is a guard).
_LAST_SURVIVORS = sa.text(
    """
WITH RECURSIVE chain(duplicate_id, survivor_id, depth) AS (
  SELECT duplicate_id, survivor_id, 1 FROM merges
  WHERE duplicate_id = ANY(CAST(:ids AS uuid[]))
  UNION ALL
  SELECT c.duplicate_id, m.survivor_id, c.depth + 1
  FROM chain c JOIN merges m ON m.duplicate_id = c.survivor_id
  WHERE c.depth < 64
)
SELECT DISTINCT ON (duplicate_id) duplicate_id, survivor_id FROM chain
ORDER BY duplicate_id, depth DESC
"""
)


class MergeRepository(Repository):
    async def lock_customers(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Customer]:
        """The customers, locked in the order of their ids (two merges naming the same
        cards wait for each other, never in a circle)."""
        rows = await self._session.execute(
            sa.select(customers)
            .where(customers.c.id.in_(list(ids)))
            .order_by(customers.c.id)
            .with_for_update()
        )
        return {row.id: to_customer(row._mapping) for row in rows}

    async def of_duplicates(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Merge]:
        """The merges that took these customers away, by the customer merged away."""
        rows = await self._session.execute(
            sa.select(merges).where(merges.c.duplicate_id.in_(list(ids)))
        )
        return {row.duplicate_id: _merge(row) for row in rows}

    async def survivors_of(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
        """Of these customers, those merged away, with the card each ended in (a survivor
        merged away in turn passes its duplicates on)."""
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = await self._session.execute(_LAST_SURVIVORS, {"ids": wanted})
        return {row.duplicate_id: row.survivor_id for row in rows}

    async def unfinished_into(self, survivor_id: uuid.UUID) -> bool:
        found = await self._session.scalar(
            sa.select(sa.literal(True))
            .where(merges.c.survivor_id == survivor_id, merges.c.finished_at.is_(None))
            .limit(1)
        )
        return bool(found)

    async def add(self, merge: Merge) -> bool:
        """Record a new merge; False when the duplicate has one already."""
        added = await self._session.scalar(
            insert(merges)
            .values(
                tenant_id=self._tenant,
                duplicate_id=merge.duplicate_id,
                survivor_id=merge.survivor_id,
                pending=list(merge.pending),
                started_at=merge.started_at,
            )
            .on_conflict_do_nothing()
            .returning(merges.c.duplicate_id)
        )
        return added is not None

    async def lock(self, duplicate_id: uuid.UUID) -> Merge | None:
        row = (
            await self._session.execute(
                sa.select(merges).where(merges.c.duplicate_id == duplicate_id).with_for_update()
            )
        ).first()
        return _merge(row) if row else None

    async def save_steps(self, merge: Merge) -> None:
        await self._session.execute(
            sa.update(merges)
            .where(merges.c.duplicate_id == merge.duplicate_id)
            .values(pending=list(merge.pending), finished_at=merge.finished_at)
        )

    async def move_notes(self, duplicate_id: uuid.UUID, survivor_id: uuid.UUID) -> None:
        await self._session.execute(
            sa.update(notes)
            .where(notes.c.customer_id == duplicate_id)
            .values(customer_id=survivor_id)
        )

    async def join_manual_segments(self, duplicate_id: uuid.UUID, survivor_id: uuid.UUID) -> None:
        """The survivor joins every manual segment the duplicate is in (dynamic segments
        follow their filters once the survivor's figures change)."""
        of_duplicate = (
            sa.select(
                customer_segments.c.tenant_id,
                sa.literal(survivor_id, customer_segments.c.customer_id.type),
                customer_segments.c.segment_id,
                customer_segments.c.assigned_at,
            )
            .join(segments, segments.c.id == customer_segments.c.segment_id)
            .where(customer_segments.c.customer_id == duplicate_id, segments.c.filter.is_(None))
        )
        await self._session.execute(
            insert(customer_segments)
            .from_select(["tenant_id", "customer_id", "segment_id", "assigned_at"], of_duplicate)
            .on_conflict_do_nothing()
        )

    async def join_outlets(self, duplicate_id: uuid.UUID, survivor_id: uuid.UUID) -> None:
        """The outlets the duplicate bought at count as the survivor's."""
        of_duplicate = sa.select(
            sa.literal(survivor_id, customer_outlets.c.customer_id.type),
            customer_outlets.c.outlet_id,
            customer_outlets.c.tenant_id,
        ).where(customer_outlets.c.customer_id == duplicate_id)
        await self._session.execute(
            insert(customer_outlets)
            .from_select(["customer_id", "outlet_id", "tenant_id"], of_duplicate)
            .on_conflict_do_nothing()
        )
