"""The projection of customers.v1: which customer a phone or an id names."""

import uuid
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_receipts.db.tables import known_customers

_EXISTING = sa.text("SELECT id FROM known_customers WHERE id = ANY(CAST(:ids AS uuid[]))")
_BY_PHONES = sa.text(
    "SELECT phone, id FROM known_customers WHERE phone = ANY(CAST(:phones AS text[]))"
)


class KnownCustomers:
    def __init__(self, session: AsyncSession, tenant: str) -> None:
        self._session = session
        self._tenant = tenant

    async def existing(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        wanted = list(set(ids))
        if not wanted:
            return set()
        found = await self._session.scalars(_EXISTING, {"ids": wanted})
        return set(found.all())

    async def by_phones(self, phones: Iterable[str]) -> dict[str, uuid.UUID]:
        wanted = list(set(phones))
        if not wanted:
            return {}
        rows = await self._session.execute(_BY_PHONES, {"phones": wanted})
        return {row.phone: row.id for row in rows}

    async def remember(self, customer_id: uuid.UUID, phone: str, version: int) -> bool:
        """Keep the customer's phone unless a newer version is held; True if stored."""
        statement = insert(known_customers).values(
            id=customer_id, tenant_id=self._tenant, phone=phone, version=version
        )
        stored = await self._session.scalar(
            statement.on_conflict_do_update(
                index_elements=[known_customers.c.id],
                set_={"phone": statement.excluded.phone, "version": statement.excluded.version},
                where=known_customers.c.version < statement.excluded.version,
            ).returning(known_customers.c.id)
        )
        return stored is not None

    async def forget(self, customer_id: uuid.UUID) -> str | None:
        """Drop the customer; returns the phone they had."""
        phone: str | None = await self._session.scalar(
            sa.delete(known_customers)
            .where(known_customers.c.id == customer_id)
            .returning(known_customers.c.phone)
        )
        return phone
