"""The projection of customers.v1: which customer a phone or an id names."""

import uuid
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from clientcard_kit.db.repository import Repository
from clientcard_receipts.db.tables import known_customers

_EXISTING = sa.text("SELECT id FROM known_customers WHERE id = ANY(CAST(:ids AS uuid[]))")
_BY_PHONES = sa.text(
    "SELECT phone, id FROM known_customers WHERE phone = ANY(CAST(:phones AS text[]))"
)
# One transaction lock per name (a phone or a customer id) of the tenant, taken in the
# order of their keys so that two batches naming the same customers cannot deadlock.
_HOLD = sa.text(
    "SELECT pg_advisory_xact_lock(key) FROM (SELECT DISTINCT "
    "hashtextextended(CAST(:tenant AS text) || '/' || name, 0) AS key "
    "FROM unnest(CAST(:names AS text[])) AS name) AS keys ORDER BY key"
)
# The same locks, each taken only if free at once: the names it could take.
_TRY_HOLD = sa.text(
    "SELECT name FROM unnest(CAST(:names AS text[])) AS name "
    "WHERE pg_try_advisory_xact_lock(hashtextextended(CAST(:tenant AS text) || '/' || name, 0))"
)
_PHONE_OF = sa.text("SELECT phone FROM known_customers WHERE id = :id")


class KnownCustomers(Repository):
    async def hold(self, ids: Iterable[uuid.UUID], phones: Iterable[str]) -> None:
        """Lock these names until the transaction ends, before reading them.

        A receipt naming a customer nobody knows yet is stored waiting, and a registration
        links the receipts waiting for it. Run side by side, neither would see the other's
        uncommitted row and the receipt would wait for ever; holding the name makes the
        later one read what the earlier one committed.
        """
        names = sorted({*(str(i) for i in ids), *phones})
        if names:
            await self._session.execute(_HOLD, {"tenant": self._tenant, "names": names})

    async def try_hold(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        """Lock those of these customer ids that nobody holds now; returns them.

        For writes that may be skipped: waiting for a name while holding others, in no
        particular order, could deadlock with a transaction holding them the other way.
        """
        names = sorted({str(i) for i in ids})
        if not names:
            return set()
        taken = await self._session.scalars(_TRY_HOLD, {"tenant": self._tenant, "names": names})
        return {uuid.UUID(name) for name in taken}

    async def phone_of(self, customer_id: uuid.UUID) -> str | None:
        phone: str | None = await self._session.scalar(_PHONE_OF, {"id": customer_id})
        return phone

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
