"""The queues of the sending jobs: messages due to go out and mailings due a look.

Due rows are claimed with `FOR UPDATE SKIP LOCKED`, so every replica runs the jobs and
each row is worked on by one replica at a time; a replica that dies mid-batch leaves its
rows unlocked for the next tick, and a row is done only when its transaction commits.
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts.enums import Channel, DeliveryStatus, MessageDirection, MessageKind
from clientcard_kit.db.batches import one_of
from clientcard_messaging.db.tables import broadcast_queue, messages, send_queue, subscriptions

_RECORD_OUTCOMES = sa.text(
    "UPDATE messages m SET status = v.status, provider_message_id = v.provider_id, "
    "failure_reason = v.reason, attempts = m.attempts + 1, cost = v.cost, parts = v.parts, "
    "sent_at = CASE WHEN v.status = 'FAILED' THEN m.sent_at ELSE :now END, "
    "delivered_at = CASE WHEN v.status = 'DELIVERED' THEN :now ELSE m.delivered_at END "
    "FROM unnest(CAST(:ids AS uuid[]), CAST(:statuses AS text[]), "
    "CAST(:provider_ids AS text[]), CAST(:reasons AS text[]), CAST(:costs AS numeric[]), "
    "CAST(:parts AS smallint[])) AS v(id, status, provider_id, reason, cost, parts) "
    "WHERE m.id = v.id"
)
_RETRY_LATER = sa.text(
    "WITH later AS (SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:dues AS timestamptz[])) "
    "AS v(id, due_at)), counted AS (UPDATE messages m SET attempts = m.attempts + 1 "
    "FROM later WHERE m.id = later.id) "
    "UPDATE send_queue q SET due_at = later.due_at FROM later WHERE q.message_id = later.id"
)


@dataclass(frozen=True, slots=True)
class Pending:
    """A claimed message with the subscription it goes out on, as they are now."""

    id: uuid.UUID
    customer_id: uuid.UUID
    channel: Channel
    kind: MessageKind
    text: str
    broadcast_id: uuid.UUID | None
    attempts: int
    address: str | None
    active: bool
    # WhatsApp only: when the customer last wrote there (its 24-hour window), and whether
    # WhatsApp said the window is closed for this message whatever that says.
    last_inbound_at: datetime | None = None
    template_only: bool = False


@dataclass(frozen=True, slots=True)
class StoredOutcome:
    """One outcome to store: the status, the provider's id, the reason it failed, what
    the provider charged and the parts it went in."""

    message_id: uuid.UUID
    status: str
    provider_id: str | None = None
    reason: str | None = None
    cost: Decimal | None = None
    parts: int | None = None


def _last_inbound() -> sa.ColumnElement[Any]:
    """The customer's latest message on the message's channel, looked up for WhatsApp
    messages alone (the others have no window), through the conversation index."""
    inbound = messages.alias("inbound")
    latest = (
        sa.select(sa.func.max(inbound.c.created_at))
        .where(
            inbound.c.customer_id == messages.c.customer_id,
            inbound.c.channel == messages.c.channel,
            inbound.c.direction == MessageDirection.INBOUND.value,
        )
        .scalar_subquery()
    )
    return sa.case((messages.c.channel == Channel.WHATSAPP.value, latest), else_=None)


async def claim_due_messages(
    session: AsyncSession, limit: int, now: datetime | None = None
) -> dict[str, list[uuid.UUID]]:
    """Up to `limit` messages of any tenant due by `now` (None: the database's clock),
    locked, by tenant."""
    due_by = sa.func.now() if now is None else sa.literal(now, sa.DateTime(timezone=True))
    claimed = await session.execute(
        sa.select(send_queue.c.message_id, send_queue.c.tenant_id)
        .where(send_queue.c.due_at <= due_by)
        .order_by(send_queue.c.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    by_tenant: dict[str, list[uuid.UUID]] = defaultdict(list)
    for message_id, tenant in claimed:
        by_tenant[tenant].append(message_id)
    return by_tenant


async def lock_pending(session: AsyncSession, ids: list[uuid.UUID]) -> list[Pending]:
    """The claimed messages still queued, locked, with their subscriptions."""
    # SKIP LOCKED: a message locked elsewhere is being cancelled or erased; leave it be.
    locked = (
        sa.select(messages.c.id)
        .where(one_of(messages.c.id, ids), messages.c.status == DeliveryStatus.QUEUED.value)
        .with_for_update(skip_locked=True)
        .subquery()
    )
    rows = await session.execute(
        sa.select(
            messages.c.id,
            messages.c.customer_id,
            messages.c.channel,
            messages.c.kind,
            messages.c.text,
            messages.c.broadcast_id,
            messages.c.attempts,
            messages.c.template_only,
            subscriptions.c.address,
            subscriptions.c.status,
            _last_inbound().label("last_inbound_at"),
        )
        .join(locked, locked.c.id == messages.c.id)
        .outerjoin(
            subscriptions,
            sa.and_(
                subscriptions.c.customer_id == messages.c.customer_id,
                subscriptions.c.channel == messages.c.channel,
            ),
        )
    )
    return [
        Pending(
            id=row.id,
            customer_id=row.customer_id,
            channel=Channel(row.channel),
            kind=MessageKind(row.kind),
            text=row.text,
            broadcast_id=row.broadcast_id,
            attempts=row.attempts,
            address=row.address,
            active=row.status == "ACTIVE",
            last_inbound_at=row.last_inbound_at,
            template_only=row.template_only,
        )
        for row in rows
    ]


async def record_outcomes(
    session: AsyncSession, outcomes: Sequence[StoredOutcome], now: datetime
) -> None:
    """Store what became of messages sent or given up on, and take them off the queue."""
    if not outcomes:
        return
    ids = [outcome.message_id for outcome in outcomes]
    await session.execute(
        _RECORD_OUTCOMES,
        {
            "ids": ids,
            "statuses": [outcome.status for outcome in outcomes],
            "provider_ids": [outcome.provider_id for outcome in outcomes],
            "reasons": [outcome.reason for outcome in outcomes],
            "costs": [outcome.cost for outcome in outcomes],
            "parts": [outcome.parts for outcome in outcomes],
            "now": now,
        },
    )
    await session.execute(sa.delete(send_queue).where(one_of(send_queue.c.message_id, ids)))


async def retry_later(session: AsyncSession, retries: list[tuple[uuid.UUID, datetime]]) -> None:
    """Count an attempt of each message and put it back on the queue for its moment."""
    if retries:
        await session.execute(
            _RETRY_LATER,
            {"ids": [id_ for id_, _ in retries], "dues": [due for _, due in retries]},
        )


async def hold_until(session: AsyncSession, ids: list[uuid.UUID], due_at: datetime) -> None:
    """Put messages back on the queue for a later moment, no attempt counted."""
    await session.execute(
        sa.update(send_queue).where(one_of(send_queue.c.message_id, ids)).values(due_at=due_at)
    )


async def claim_due_broadcasts(session: AsyncSession, limit: int) -> list[tuple[uuid.UUID, str]]:
    """Up to `limit` mailings due a look, locked: (broadcast id, tenant)."""
    claimed = await session.execute(
        sa.select(broadcast_queue.c.broadcast_id, broadcast_queue.c.tenant_id)
        .where(broadcast_queue.c.due_at <= sa.func.now())
        .order_by(broadcast_queue.c.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [(broadcast_id, tenant) for broadcast_id, tenant in claimed]


async def look_again_at(session: AsyncSession, broadcast_id: uuid.UUID, due_at: datetime) -> None:
    await session.execute(
        sa.update(broadcast_queue)
        .where(broadcast_queue.c.broadcast_id == broadcast_id)
        .values(due_at=due_at)
    )


async def drop_broadcast(session: AsyncSession, broadcast_id: uuid.UUID) -> None:
    await session.execute(
        sa.delete(broadcast_queue).where(broadcast_queue.c.broadcast_id == broadcast_id)
    )
