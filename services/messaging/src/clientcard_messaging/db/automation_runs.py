"""The automation run's statements: the tenants due a run, the customers whose day has
come (bonuses about to burn, no purchase for a while), and the due occasions turned into
queued messages. Each is one statement for the whole batch.

Tenants are claimed from `automation_queue` with `FOR UPDATE SKIP LOCKED`, so every
replica runs the job and each tenant is run by one replica at a time; an occasion's
primary key keeps it to one message even so.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts.enums import AutomationKind, Channel
from clientcard_messaging.db.tables import automation_occasions, automation_queue
from clientcard_messaging.domain.automations import Outcome

# The occasion keys of `domain.automations.expiry_occasion` and `win_back_occasion`.
_UTC_KEY = """to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""

_NOTE_EXPIRING = sa.text(
    f"""
INSERT INTO automation_occasions (tenant_id, kind, customer_id, occasion, due_at)
SELECT :tenant, 'BONUS_EXPIRY', c.id, 'expiry:' || {_UTC_KEY.format(column="c.next_expiry_at")},
       :now
FROM customers c
WHERE c.tenant_id = :tenant AND c.next_expiry_at > :now AND c.next_expiry_at <= :until
ON CONFLICT DO NOTHING
"""
)
_NOTE_LAPSED = sa.text(
    f"""
INSERT INTO automation_occasions (tenant_id, kind, customer_id, occasion, due_at)
SELECT :tenant, 'WIN_BACK', c.id,
       'last-purchase:' || {_UTC_KEY.format(column="c.last_purchase_at")}, :now
FROM customers c
WHERE c.tenant_id = :tenant AND c.last_purchase_at <= :lapsed_by
  AND c.last_purchase_at > :lapsed_since
ON CONFLICT DO NOTHING
"""
)
# The due occasions of enabled automations with what their texts name and the channel
# each goes out on: the automation's own where the customer has it active and the
# merchant has it configured, else the customer's default (always an active one, when any
# is); null: unreachable.
_DUE = sa.text(
    """
SELECT o.kind, o.customer_id, o.occasion, a.text, c.first_name, c.bonus_balance,
       c.next_expiry_amount, c.next_expiry_at, COALESCE(pick.channel, dflt.channel) AS channel
FROM automation_occasions o
JOIN automations a ON a.tenant_id = o.tenant_id AND a.kind = o.kind AND a.enabled
JOIN customers c ON c.id = o.customer_id
LEFT JOIN subscriptions pick ON pick.customer_id = o.customer_id AND pick.channel = a.channel
  AND pick.status = 'ACTIVE' AND pick.channel = ANY(CAST(:configured AS text[]))
LEFT JOIN subscriptions dflt ON dflt.customer_id = o.customer_id AND dflt.is_default
  AND dflt.status = 'ACTIVE'
WHERE o.tenant_id = :tenant AND o.outcome IS NULL AND o.due_at <= :now
ORDER BY o.due_at
LIMIT :limit
FOR UPDATE OF o SKIP LOCKED
"""
)
# Messages for the reachable, spread over the send queue by each channel's rate (`gaps`,
# as mailings are), and every occasion's outcome.
_DECIDE = sa.text(
    """
WITH decided AS (
  SELECT * FROM unnest(CAST(:kinds AS text[]), CAST(:customers AS uuid[]),
    CAST(:occasions AS text[]), CAST(:message_ids AS uuid[]), CAST(:channels AS text[]),
    CAST(:texts AS text[]), CAST(:outcomes AS text[]))
    AS d(kind, customer_id, occasion, message_id, channel, text, outcome)
), inserted AS (
  INSERT INTO messages (id, tenant_id, customer_id, channel, direction, kind, text, status,
                        created_at)
  SELECT message_id, :tenant, customer_id, channel, 'OUTBOUND', 'AUTOMATION', text, 'QUEUED',
         :now
  FROM decided WHERE message_id IS NOT NULL
  RETURNING id, channel
), rates AS (
  SELECT * FROM unnest(CAST(:rate_channels AS text[]), CAST(:gaps AS float8[])) AS r(channel, gap)
), queued AS (
  INSERT INTO send_queue (message_id, tenant_id, due_at)
  SELECT i.id, :tenant, CAST(:now AS timestamptz) + make_interval(secs =>
           (row_number() OVER (PARTITION BY i.channel ORDER BY i.id) - 1) * COALESCE(r.gap, 0))
  FROM inserted i LEFT JOIN rates r ON r.channel = i.channel
  RETURNING 1
)
UPDATE automation_occasions o
SET outcome = d.outcome,
    message_id = d.message_id, decided_at = :now
FROM decided d
WHERE o.tenant_id = :tenant AND o.kind = d.kind AND o.customer_id = d.customer_id
  AND o.occasion = d.occasion
"""
)


@dataclass(frozen=True, slots=True)
class Due:
    """An occasion whose moment has come, with what its text needs."""

    kind: AutomationKind
    customer_id: uuid.UUID
    occasion: str
    text: str
    first_name: str | None
    bonus_balance: Decimal | None
    expiring_amount: Decimal | None
    expiring_at: datetime | None
    channel: Channel | None


@dataclass(frozen=True, slots=True)
class Decision:
    """What became of a due occasion: a message on a channel, or nothing (unreachable,
    or skipped on a channel the merchant has no provider for)."""

    due: Due
    outcome: Outcome
    message_id: uuid.UUID | None
    text: str | None


async def claim_due_tenants(session: AsyncSession, now: datetime, limit: int) -> list[str]:
    claimed = await session.execute(
        sa.select(automation_queue.c.tenant_id)
        .where(automation_queue.c.due_at <= now)
        .order_by(automation_queue.c.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(claimed.scalars())


async def look_again_at(session: AsyncSession, tenant: str, due_at: datetime) -> None:
    await session.execute(
        sa.update(automation_queue)
        .where(automation_queue.c.tenant_id == tenant)
        .values(due_at=due_at)
    )


async def next_waiting(session: AsyncSession, tenant: str) -> datetime | None:
    """When the tenant's next occasion still waiting is due."""
    waiting = automation_occasions.c.outcome.is_(None)
    found: datetime | None = await session.scalar(
        sa.select(sa.func.min(automation_occasions.c.due_at)).where(
            automation_occasions.c.tenant_id == tenant, waiting
        )
    )
    return found


async def forget_tenant(session: AsyncSession, tenant: str) -> None:
    await session.execute(sa.delete(automation_queue).where(automation_queue.c.tenant_id == tenant))


async def note_expiring(session: AsyncSession, tenant: str, now: datetime, ahead: timedelta) -> int:
    """Note a BONUS_EXPIRY occasion for everyone whose bonuses burn within `ahead`."""
    result = await session.execute(
        _NOTE_EXPIRING, {"tenant": tenant, "now": now, "until": now + ahead}
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def note_lapsed(
    session: AsyncSession, tenant: str, now: datetime, after: timedelta, window: timedelta
) -> int:
    """Note a WIN_BACK occasion for everyone whose last purchase is `after` old (those
    lapsed longer than `window` before were due while it was off, and are left be)."""
    lapsed_by = now - after
    result = await session.execute(
        _NOTE_LAPSED,
        {"tenant": tenant, "now": now, "lapsed_by": lapsed_by, "lapsed_since": lapsed_by - window},
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def due(
    session: AsyncSession, tenant: str, now: datetime, limit: int, configured: frozenset[Channel]
) -> list[Due]:
    rows = await session.execute(
        _DUE,
        {
            "tenant": tenant,
            "now": now,
            "limit": limit,
            "configured": sorted(channel.value for channel in configured),
        },
    )
    return [
        Due(
            kind=AutomationKind(row.kind),
            customer_id=row.customer_id,
            occasion=row.occasion,
            text=row.text,
            first_name=row.first_name,
            bonus_balance=row.bonus_balance,
            expiring_amount=row.next_expiry_amount,
            expiring_at=row.next_expiry_at,
            channel=Channel(row.channel) if row.channel else None,
        )
        for row in rows
    ]


async def decide(
    session: AsyncSession,
    tenant: str,
    decisions: Sequence[Decision],
    gaps: dict[Channel, float],
    now: datetime,
) -> None:
    """Queue the messages decided on and store every occasion's outcome, in one statement."""
    if not decisions:
        return
    await session.execute(
        _DECIDE,
        {
            "tenant": tenant,
            "now": now,
            "kinds": [d.due.kind.value for d in decisions],
            "customers": [d.due.customer_id for d in decisions],
            "occasions": [d.due.occasion for d in decisions],
            "message_ids": [d.message_id for d in decisions],
            "channels": [d.due.channel.value if d.due.channel else None for d in decisions],
            "texts": [d.text for d in decisions],
            "outcomes": [d.outcome.value for d in decisions],
            "rate_channels": [channel.value for channel in gaps],
            "gaps": list(gaps.values()),
        },
    )
