"""Moving a duplicate's conversation and NPS answers to the survivor, a statement per
table, and dropping the subscriptions the survivor did not take."""

import uuid
from datetime import datetime

import sqlalchemy as sa

from clientcard_kit.db.repository import Repository
from clientcard_messaging.db.tables import messages, nps_responses, sandbox_sent, subscriptions

# Every table whose rows name the customer they belong to and move with a merge.
_MOVED = (messages, nps_responses, sandbox_sent)


class MessagingMerges(Repository):
    async def move_conversation(self, duplicate_id: uuid.UUID, survivor_id: uuid.UUID) -> None:
        for table in _MOVED:
            await self._session.execute(
                sa.update(table)
                .where(table.c.customer_id == duplicate_id)
                .values(customer_id=survivor_id)
            )

    async def drop_subscriptions(self, customer_id: uuid.UUID) -> None:
        await self._session.execute(
            sa.delete(subscriptions).where(subscriptions.c.customer_id == customer_id)
        )

    async def last_answer(self, customer_id: uuid.UUID) -> tuple[int, datetime] | None:
        """The customer's latest NPS score and when it was given."""
        row = (
            await self._session.execute(
                sa.select(nps_responses.c.score, nps_responses.c.responded_at)
                .where(nps_responses.c.customer_id == customer_id)
                .order_by(nps_responses.c.responded_at.desc())
                .limit(1)
            )
        ).first()
        return (row.score, row.responded_at) if row else None
