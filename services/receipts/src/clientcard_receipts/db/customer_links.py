"""Which customer each receipt names: receipts waiting for one, linked, detached.

A receipt names its customer by id or phone. Until the customer is known it waits
(`waiting_phone` or `waiting_customer_id`); a registration links it; an erasure detaches
the customer's receipts (their amounts stay in the tenant's figures); a receipt that
waited too long leaves for the dead letters.
"""

import uuid
from datetime import datetime

import sqlalchemy as sa

from clientcard_kit.db.repository import Repository
from clientcard_receipts.db.receipts import to_receipt
from clientcard_receipts.db.tables import receipts
from clientcard_receipts.domain.records import Receipt


class CustomerLinks(Repository):
    async def waiting_for(self, phone: str | None, customer_id: uuid.UUID) -> list[Receipt]:
        """Receipts that named this phone (if given) or id before anyone knew it, oldest
        first."""
        named = receipts.c.waiting_customer_id == customer_id
        if phone is not None:
            named = sa.or_(receipts.c.waiting_phone == phone, named)
        rows = await self._session.execute(
            sa.select(receipts)
            .where(
                named,
                receipts.c.customer_id.is_(None),
            )
            .order_by(receipts.c.purchased_at, receipts.c.registered_at, receipts.c.id)
            .with_for_update()
        )
        return [to_receipt(row._mapping) for row in rows]

    async def waiting_since(self, before: datetime, limit: int) -> list[Receipt]:
        """Receipts waiting for a customer id since before `before`, locked; others skip."""
        rows = await self._session.execute(
            sa.select(receipts)
            .where(receipts.c.waiting_customer_id.is_not(None), receipts.c.registered_at < before)
            .order_by(receipts.c.registered_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [to_receipt(row._mapping) for row in rows]

    async def waiting_returns_of(self, sale_ids: list[uuid.UUID]) -> list[Receipt]:
        """Waiting returns of these sales (they go where their sales go)."""
        rows = await self._session.execute(
            sa.select(receipts)
            .where(receipts.c.original_receipt_id.in_(sale_ids), receipts.c.customer_id.is_(None))
            .with_for_update()
        )
        return [to_receipt(row._mapping) for row in rows]

    async def remove(self, ids: list[uuid.UUID]) -> None:
        """Delete receipts that were never published (returns before their sales)."""
        await self._session.execute(
            sa.delete(receipts).where(
                receipts.c.id.in_(ids), receipts.c.original_receipt_id.is_not(None)
            )
        )
        await self._session.execute(sa.delete(receipts).where(receipts.c.id.in_(ids)))

    async def numbers_of(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
        rows = await self._session.execute(
            sa.select(receipts.c.id, receipts.c.number).where(receipts.c.id.in_(ids))
        )
        return {row.id: row.number for row in rows}

    async def link(self, ids: list[uuid.UUID], customer_id: uuid.UUID) -> None:
        await self._session.execute(
            sa.update(receipts)
            .where(receipts.c.id.in_(ids))
            .values(customer_id=customer_id, waiting_phone=None, waiting_customer_id=None)
        )

    async def detach(self, customer_id: uuid.UUID) -> int:
        """Forget whose receipts these were; their amounts stay in the tenant's figures."""
        result = await self._session.execute(
            sa.update(receipts)
            .where(receipts.c.customer_id == customer_id)
            .values(customer_id=None, waiting_phone=None, waiting_customer_id=None)
            .returning(receipts.c.id)
        )
        return len(result.all())

    async def forget_waiting(self, phone: str | None, customer_id: uuid.UUID) -> None:
        """Receipts waiting for an erased customer wait no more; they name no one."""
        await self._session.execute(
            sa.update(receipts)
            .where(
                sa.or_(
                    receipts.c.waiting_phone == phone,
                    receipts.c.waiting_customer_id == customer_id,
                ),
                receipts.c.customer_id.is_(None),
            )
            .values(waiting_phone=None, waiting_customer_id=None)
        )
