"""The read model of figures other services own, updated from their events.

Figures come in groups, each from one kind of event and stamped with that event's
per-customer version (the owning service counts its changes of the customer), or for the
last NPS score with the moment of the answer. An update carries absolute values and
applies only when its stamp is above the stored one, so redelivered or reordered events
cannot roll a figure back.
"""

import uuid
from datetime import datetime
from enum import Enum

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_customers.db.tables import customers


class FigureGroup(Enum):
    PURCHASES = ("purchases_version", ("purchases", "revenue", "average_check", "last_purchase_at"))
    BONUS_BALANCE = ("bonus_balance_version", ("bonus_balance",))
    MESSENGERS = ("messengers_version", ("messenger_status", "default_channel"))
    NPS = ("nps_as_of", ("last_nps_score",))

    def __init__(self, stamp: str, columns: tuple[str, ...]) -> None:
        self.stamp = stamp
        self.columns = columns


class FiguresRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def apply(
        self,
        customer_id: uuid.UUID,
        group: FigureGroup,
        values: dict[str, object],
        stamp: int | datetime,
    ) -> bool:
        """Store the group's values if they are newer than the stored ones; True if stored."""
        if set(values) != set(group.columns):
            raise ValueError(f"{group.name} figures are {', '.join(group.columns)}")
        stored = customers.c[group.stamp]
        result = await self._session.execute(
            sa.update(customers)
            .where(customers.c.id == customer_id, sa.or_(stored.is_(None), stored < stamp))
            .values({**values, group.stamp: stamp})
            .returning(customers.c.id)
        )
        return result.first() is not None
