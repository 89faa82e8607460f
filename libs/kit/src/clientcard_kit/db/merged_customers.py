"""Customers merged away, and the survivor each went to.

A duplicate's id outlives its card: a till that keeps it, an event written before the
merge and read after. The services told of merges (`customer.merged`) keep this table so
that whatever names a duplicate is the survivor's. A survivor merged away in turn takes
those merged into it along, so one step always reaches a card that exists.
"""

import uuid
from collections.abc import Iterable
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID, insert

from clientcard_kit.db.batches import one_of
from clientcard_kit.db.columns import tenant_column
from clientcard_kit.db.repository import Repository

TABLE = "merged_customers"


def merged_customers_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        TABLE,
        metadata,
        tenant_column(primary_key=True),
        sa.Column("duplicate_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("survivor_id", UUID(as_uuid=True), nullable=False),
    )


class MergedCustomers(Repository):
    """The service's merged customers; a subclass names its table (`table`)."""

    table: ClassVar[sa.Table]

    async def remember(self, duplicate_id: uuid.UUID, survivor_id: uuid.UUID) -> None:
        """Note whom the duplicate went to; those merged into it before go there too."""
        merged: Any = self.table.c
        await self._session.execute(
            sa.update(self.table)
            .where(merged.survivor_id == duplicate_id)
            .values(survivor_id=survivor_id)
        )
        await self._session.execute(
            insert(self.table)
            .values(tenant_id=self._tenant, duplicate_id=duplicate_id, survivor_id=survivor_id)
            .on_conflict_do_nothing()
        )

    async def survivors_of(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
        """Of these customers, those merged away, with whom each was merged into."""
        wanted = set(ids)
        if not wanted:
            return {}
        merged: Any = self.table.c
        rows = await self._session.execute(
            sa.select(merged.duplicate_id, merged.survivor_id).where(
                one_of(merged.duplicate_id, wanted)
            )
        )
        return {row.duplicate_id: row.survivor_id for row in rows}
