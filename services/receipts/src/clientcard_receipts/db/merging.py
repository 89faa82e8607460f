"""Moving a duplicate's receipts to the survivor, a statement each for those linked to it
and those waiting for its id; and whom each duplicate went to."""

import uuid

import sqlalchemy as sa

from clientcard_kit.db.merged_customers import MergedCustomers
from clientcard_kit.db.repository import Repository
from clientcard_receipts.db.tables import merged_customers, receipts


class ReceiptMerges(Repository):
    async def move_receipts(self, duplicate_id: uuid.UUID, survivor_id: uuid.UUID) -> int:
        """The duplicate's receipts become the survivor's; returns how many."""
        moved = await self._session.execute(
            sa.update(receipts)
            .where(receipts.c.customer_id == duplicate_id)
            .values(customer_id=survivor_id)
            .returning(receipts.c.id)
        )
        # A till that named the duplicate by id before it was known waits for the survivor.
        await self._session.execute(
            sa.update(receipts)
            .where(receipts.c.waiting_customer_id == duplicate_id)
            .values(waiting_customer_id=survivor_id)
        )
        return len(moved.all())


class MergedAway(MergedCustomers):
    table = merged_customers
