"""Customers' messenger subscriptions, one row per customer and channel."""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from clientcard_contracts.enums import Channel, MessengerStatus
from clientcard_kit.db.batches import batch_ids, one_of_batch
from clientcard_kit.db.repository import Repository
from clientcard_messaging.db.tables import subscriptions
from clientcard_messaging.domain.records import Subscription

_COLUMNS = (
    subscriptions.c.channel,
    subscriptions.c.address,
    subscriptions.c.status,
    subscriptions.c.is_default,
    subscriptions.c.subscribed_at,
    subscriptions.c.last_contact_at,
    subscriptions.c.messages_delivered,
)


def _record(row: Any) -> Subscription:
    return Subscription(
        channel=Channel(row.channel),
        address=row.address,
        status=MessengerStatus(row.status),
        is_default=row.is_default,
        subscribed_at=row.subscribed_at,
        last_contact_at=row.last_contact_at,
        messages_delivered=row.messages_delivered,
    )


_OF_CUSTOMERS = sa.select(subscriptions.c.customer_id, *_COLUMNS).where(
    one_of_batch(subscriptions.c.customer_id)
)


class SubscriptionRepository(Repository):
    async def of_customer(self, customer_id: uuid.UUID) -> list[Subscription]:
        """The customer's subscriptions; call after the customer's version row is locked."""
        rows = await self._session.execute(
            sa.select(*_COLUMNS).where(subscriptions.c.customer_id == customer_id)
        )
        return [_record(row) for row in rows]

    async def of_customers(
        self, customer_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, list[Subscription]]:
        rows = await self._session.execute(_OF_CUSTOMERS, batch_ids(customer_ids))
        found: dict[uuid.UUID, list[Subscription]] = defaultdict(list)
        for row in rows:
            found[row.customer_id].append(_record(row))
        return found

    async def save(self, customer_id: uuid.UUID, changed: Sequence[Subscription]) -> None:
        if not changed:
            return
        statement = insert(subscriptions).values(
            [
                {
                    "tenant_id": self._tenant,
                    "customer_id": customer_id,
                    "channel": s.channel.value,
                    "address": s.address,
                    "status": s.status.value,
                    "is_default": s.is_default,
                    "subscribed_at": s.subscribed_at,
                    "last_contact_at": s.last_contact_at,
                    "messages_delivered": s.messages_delivered,
                }
                for s in changed
            ]
        )
        excluded = statement.excluded
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[subscriptions.c.customer_id, subscriptions.c.channel],
                set_={
                    "address": excluded.address,
                    "status": excluded.status,
                    "is_default": excluded.is_default,
                    "subscribed_at": excluded.subscribed_at,
                },
            )
        )

    async def holder_of(self, channel: Channel, address: str) -> uuid.UUID | None:
        """The customer whose active subscription uses this address, if any."""
        found = await self._session.scalars(
            sa.select(subscriptions.c.customer_id).where(
                subscriptions.c.channel == channel.value,
                subscriptions.c.address == address,
                subscriptions.c.status == MessengerStatus.ACTIVE.value,
            )
        )
        return found.first()

    async def by_address(self, channel: Channel, address: str) -> uuid.UUID | None:
        """Who writes from this address: the active subscriber, else the latest one."""
        found = await self._session.scalars(
            sa.select(subscriptions.c.customer_id)
            .where(subscriptions.c.channel == channel.value, subscriptions.c.address == address)
            .order_by(
                (subscriptions.c.status == MessengerStatus.ACTIVE.value).desc(),
                subscriptions.c.subscribed_at.desc(),
            )
            .limit(1)
        )
        return found.first()

    async def touch(self, customer_id: uuid.UUID, channel: Channel, at: datetime) -> None:
        await self._session.execute(
            sa.update(subscriptions)
            .where(
                subscriptions.c.customer_id == customer_id,
                subscriptions.c.channel == channel.value,
            )
            .values(last_contact_at=sa.func.greatest(subscriptions.c.last_contact_at, at))
        )

    async def count_delivered(
        self, delivered: dict[tuple[uuid.UUID, Channel], int], at: datetime
    ) -> dict[tuple[uuid.UUID, Channel], int]:
        """Add delivered messages per (customer, channel); returns each new total."""
        if not delivered:
            return {}
        keys = list(delivered)
        rows = await self._session.execute(
            sa.text(
                "UPDATE subscriptions s SET messages_delivered = s.messages_delivered + v.n, "
                "last_contact_at = greatest(s.last_contact_at, :at) "
                "FROM unnest(CAST(:customers AS uuid[]), CAST(:channels AS text[]), "
                "CAST(:counts AS int[])) AS v(customer_id, channel, n) "
                "WHERE s.customer_id = v.customer_id AND s.channel = v.channel "
                "RETURNING s.customer_id, s.channel, s.messages_delivered"
            ),
            {
                "customers": [customer for customer, _ in keys],
                "channels": [channel.value for _, channel in keys],
                "counts": [delivered[key] for key in keys],
                "at": at,
            },
        )
        return {(row[0], Channel(row[1])): int(row[2]) for row in rows}

    async def remove_customer(self, customer_id: uuid.UUID) -> None:
        await self._session.execute(
            sa.delete(subscriptions).where(subscriptions.c.customer_id == customer_id)
        )
