"""The projection of the customers service's customers: phones and segment members."""

import uuid
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from clientcard_kit.db.repository import Repository
from clientcard_messaging.db.tables import customers, segment_members


class CustomerDirectory(Repository):
    async def _ensure(self, customer_id: uuid.UUID) -> None:
        await self._session.execute(
            insert(customers)
            .values(id=customer_id, tenant_id=self._tenant)
            .on_conflict_do_nothing(index_elements=[customers.c.id])
        )

    async def apply_profile(
        self, customer_id: uuid.UUID, phone: str, version: int, first_name: str | None = None
    ) -> bool:
        """Keep the phone and first name of the newest profile; False when a newer one is
        stored."""
        await self._ensure(customer_id)
        result = await self._session.execute(
            sa.update(customers)
            .where(customers.c.id == customer_id, customers.c.profile_version < version)
            .values(phone=phone, profile_version=version, first_name=first_name)
            .returning(customers.c.id)
        )
        return result.first() is not None

    async def apply_segments(
        self, customer_id: uuid.UUID, segment_ids: Iterable[uuid.UUID], version: int
    ) -> bool:
        """Make the customer a member of exactly these segments, if the list is newer."""
        await self._ensure(customer_id)
        result = await self._session.execute(
            sa.update(customers)
            .where(customers.c.id == customer_id, customers.c.segments_version < version)
            .values(segments_version=version)
            .returning(customers.c.id)
        )
        if result.first() is None:
            return False
        await self._session.execute(
            sa.delete(segment_members).where(segment_members.c.customer_id == customer_id)
        )
        rows = [
            {"tenant_id": self._tenant, "segment_id": segment_id, "customer_id": customer_id}
            for segment_id in dict.fromkeys(segment_ids)
        ]
        if rows:
            await self._session.execute(insert(segment_members), rows)
        return True

    async def knows(self, customer_id: uuid.UUID) -> bool:
        """Whether the customer's registration has reached this projection."""
        found = await self._session.scalar(
            sa.select(customers.c.id).where(
                customers.c.id == customer_id, customers.c.profile_version > 0
            )
        )
        return found is not None

    async def by_phone(self, phone: str) -> uuid.UUID | None:
        found = await self._session.scalars(
            sa.select(customers.c.id).where(customers.c.phone == phone).limit(1)
        )
        return found.first()

    async def lock_messengers(self, customer_id: uuid.UUID) -> int:
        """Lock the customer's messengers for a change; returns their current version."""
        await self._ensure(customer_id)
        version = await self._session.scalar(
            sa.select(customers.c.messengers_version)
            .where(customers.c.id == customer_id)
            .with_for_update()
        )
        return int(version or 0)

    async def set_messengers_version(self, customer_id: uuid.UUID, version: int) -> None:
        await self._session.execute(
            sa.update(customers)
            .where(customers.c.id == customer_id)
            .values(messengers_version=version)
        )

    async def remove(self, customer_id: uuid.UUID) -> None:
        await self._session.execute(sa.delete(customers).where(customers.c.id == customer_id))
