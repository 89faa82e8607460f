"""The read model of figures other services own, updated from their events.

Figures come in groups, each from one kind of event and stamped with that event's
per-customer version (the owning service counts its changes of the customer), or for the
last NPS score with the moment of the answer. An update carries absolute values and
applies only when its stamp is above the stored one, so redelivered or reordered events
cannot roll a figure back.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime
from enum import Enum

import sqlalchemy as sa

from clientcard_customers.db.tables import customer_outlets, customers
from clientcard_kit.db import bulk
from clientcard_kit.db.repository import Repository


class FigureGroup(Enum):
    PURCHASES = ("purchases_version", ("purchases", "revenue", "average_check", "last_purchase_at"))
    BONUS_BALANCE = ("bonus_balance_version", ("bonus_balance", "bonuses_expiring_at"))
    MESSENGERS = ("messengers_version", ("messenger_status", "default_channel"))
    NPS = ("nps_as_of", ("last_nps_score",))
    TIER = ("tier_version", ("tier_id",))

    def __init__(self, stamp: str, columns: tuple[str, ...]) -> None:
        self.stamp = stamp
        self.columns = columns


FigureUpdate = tuple[uuid.UUID, dict[str, object], int | datetime]
"""One event's figures for one customer: (customer id, values, stamp)."""


def _apply_many_statement(group: FigureGroup) -> sa.TextClause:
    """One UPDATE for a whole batch of one group: rows travel as one array per column."""
    names = _names(group)
    assignments = ", ".join(f"{c} = given.{c}" for c in names[1:])
    return sa.text(
        f"UPDATE customers SET {assignments} FROM {bulk.unnest(customers, names)} "
        f"WHERE customers.id = given.id "
        f"AND (customers.{group.stamp} IS NULL OR customers.{group.stamp} < given.{group.stamp})"
    )


def _names(group: FigureGroup) -> tuple[str, ...]:
    return ("id", *group.columns, group.stamp)


_APPLY_MANY = {group: _apply_many_statement(group) for group in FigureGroup}


class FiguresRepository(Repository):
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

    async def add_outlets(self, bought: Sequence[tuple[uuid.UUID, str]]) -> None:
        """Remember where customers bought: a set, so a pair seen before changes nothing."""
        if not bought:
            return
        rows = [
            {"customer_id": customer, "outlet_id": outlet, "tenant_id": self._tenant}
            for customer, outlet in dict.fromkeys(bought)
        ]
        await self._session.execute(
            _ADD_OUTLETS, bulk.arrays(customer_outlets, _OUTLET_COLUMNS, rows)
        )

    async def apply_many(self, group: FigureGroup, updates: Sequence[FigureUpdate]) -> None:
        """Store a batch of one group's figures in one statement: of several updates of one
        customer only the newest counts, and none older than the stored one."""
        newest: dict[uuid.UUID, FigureUpdate] = {}
        for update in updates:
            known = newest.get(update[0])
            if known is None or _newer(update[2], known[2]):
                newest[update[0]] = update
        if not newest:
            return
        rows = [{"id": u[0], **u[1], group.stamp: u[2]} for u in newest.values()]
        await self._session.execute(_APPLY_MANY[group], bulk.arrays(customers, _names(group), rows))


_OUTLET_COLUMNS = ("customer_id", "outlet_id", "tenant_id")
# Only customers this service has: a receipt's event can outlive its customer's erasure.
_ADD_OUTLETS = sa.text(
    f"INSERT INTO customer_outlets ({', '.join(_OUTLET_COLUMNS)}) "
    f"SELECT {', '.join(_OUTLET_COLUMNS)} FROM {bulk.unnest(customer_outlets, _OUTLET_COLUMNS)} "
    "WHERE EXISTS (SELECT 1 FROM customers WHERE customers.id = given.customer_id) "
    "ON CONFLICT DO NOTHING"
)


def _newer(stamp: int | datetime, than: int | datetime) -> bool:
    # One group's stamps are all versions or all moments.
    if isinstance(stamp, datetime) and isinstance(than, datetime):
        return stamp > than
    if isinstance(stamp, int) and isinstance(than, int):
        return stamp > than
    raise TypeError("a group's stamps are all of one kind")
