"""Mailings to segments: the broadcasts, their recipients' messages, their statistics."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from clientcard_contracts.enums import BroadcastStatus, Channel
from clientcard_kit.db.records import row_of
from clientcard_kit.db.repository import Repository
from clientcard_messaging.db.tables import broadcast_queue, broadcasts, messages
from clientcard_messaging.domain.records import Broadcast, BroadcastStats

_COLUMNS = (
    broadcasts.c.id,
    broadcasts.c.name,
    broadcasts.c.text,
    broadcasts.c.segment_ids,
    broadcasts.c.channel,
    broadcasts.c.status,
    broadcasts.c.scheduled_at,
    broadcasts.c.created_at,
)

# Every member of the segments once, on the broadcast's channel where they have it active
# and it is configured, else on their default. Members with neither have no active
# subscription at all (counted as unreachable); members whose channel is not configured
# for the merchant are skipped (counted as not configured). Each message joins the send
# queue spread out per channel by the provider's rate (`gaps`: seconds between two
# messages), which is how mailings are throttled whatever the number of replicas sending.
_EXPAND = sa.text(
    """
WITH audience AS (
  SELECT DISTINCT customer_id FROM segment_members WHERE segment_id = ANY(:segments)
), chosen AS (
  SELECT a.customer_id, COALESCE(pick.channel, dflt.channel) AS channel
  FROM audience a
  LEFT JOIN subscriptions pick ON pick.customer_id = a.customer_id
    AND pick.channel = :channel AND pick.status = 'ACTIVE'
    AND pick.channel = ANY(CAST(:configured AS text[]))
  LEFT JOIN subscriptions dflt ON dflt.customer_id = a.customer_id
    AND dflt.is_default AND dflt.status = 'ACTIVE'
), inserted AS (
  INSERT INTO messages (id, tenant_id, customer_id, channel, direction, kind, text, status,
                        broadcast_id, created_at)
  SELECT gen_random_uuid(), :tenant, customer_id, channel, 'OUTBOUND', 'BROADCAST', :text,
         'QUEUED', :broadcast, :now
  FROM chosen WHERE channel = ANY(CAST(:configured AS text[]))
  RETURNING id, channel
), rates AS (
  SELECT * FROM unnest(CAST(:rate_channels AS text[]), CAST(:gaps AS float8[])) AS r(channel, gap)
), queued AS (
  INSERT INTO send_queue (message_id, tenant_id, due_at)
  SELECT i.id, :tenant, CAST(:now AS timestamptz) + make_interval(secs =>
           (row_number() OVER (PARTITION BY i.channel ORDER BY i.id) - 1) * COALESCE(r.gap, 0))
  FROM inserted i LEFT JOIN rates r ON r.channel = i.channel
  RETURNING 1
), unreachable AS (
  UPDATE broadcasts SET unreachable = (SELECT count(*) FROM chosen WHERE channel IS NULL),
    not_configured = (SELECT count(*) FROM chosen
                      WHERE NOT channel = ANY(CAST(:configured AS text[])))
  WHERE id = :broadcast
)
SELECT count(*) FROM queued
"""
)


def _record(row: Any) -> Broadcast:
    return Broadcast(
        id=row.id,
        name=row.name,
        text=row.text,
        segment_ids=tuple(row.segment_ids),
        channel=Channel(row.channel) if row.channel else None,
        status=BroadcastStatus(row.status),
        scheduled_at=row.scheduled_at,
        created_at=row.created_at,
    )


class BroadcastRepository(Repository):
    async def add(self, broadcast: Broadcast, due_at: datetime) -> None:
        await self._session.execute(
            sa.insert(broadcasts).values(
                tenant_id=self._tenant,
                **row_of(
                    broadcast,
                    segment_ids=list(broadcast.segment_ids),
                    channel=broadcast.channel.value if broadcast.channel else None,
                    status=broadcast.status.value,
                ),
            )
        )
        await self._session.execute(
            sa.insert(broadcast_queue).values(
                broadcast_id=broadcast.id, tenant_id=self._tenant, due_at=due_at
            )
        )

    async def get(self, broadcast_id: uuid.UUID, *, for_update: bool = False) -> Broadcast | None:
        query = sa.select(*_COLUMNS).where(broadcasts.c.id == broadcast_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return _record(row) if row else None

    async def get_many(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Broadcast]:
        rows = await self._session.execute(
            sa.select(*_COLUMNS).where(broadcasts.c.id.in_(list(ids)))
        )
        return {row.id: _record(row) for row in rows}

    async def page(self, limit: int, after: tuple[datetime, uuid.UUID] | None) -> list[Broadcast]:
        query = sa.select(*_COLUMNS).order_by(
            broadcasts.c.created_at.desc(), broadcasts.c.id.desc()
        )
        if after is not None:
            query = query.where(sa.tuple_(broadcasts.c.created_at, broadcasts.c.id) < after)
        rows = await self._session.execute(query.limit(limit))
        return [_record(row) for row in rows]

    async def count(self) -> int:
        return int(
            await self._session.scalar(sa.select(sa.func.count()).select_from(broadcasts)) or 0
        )

    async def stats(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, BroadcastStats]:
        status = messages.c.status

        def counted(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
            return sa.func.count(messages.c.id).filter(condition)

        # The mailing's own messages; replies filed under it are counted by `replied_at`.
        own = sa.and_(messages.c.broadcast_id == broadcasts.c.id, messages.c.kind == "BROADCAST")
        rows = await self._session.execute(
            sa.select(
                broadcasts.c.id,
                sa.func.count(messages.c.id),
                counted(status.in_(("SENT", "DELIVERED", "READ"))),
                counted(status.in_(("DELIVERED", "READ"))),
                counted(status == "READ"),
                counted(status == "FAILED"),
                counted(messages.c.replied_at.is_not(None)),
                broadcasts.c.unreachable,
                broadcasts.c.not_configured,
            )
            .select_from(broadcasts.outerjoin(messages, own))
            .where(broadcasts.c.id.in_(list(ids)))
            .group_by(broadcasts.c.id)
        )
        return {row[0]: BroadcastStats(*(int(n) for n in row[1:])) for row in rows}

    async def set_status(
        self, broadcast_id: uuid.UUID, status: BroadcastStatus, at: datetime
    ) -> None:
        values: dict[str, object] = {"status": status.value}
        if status is BroadcastStatus.SENDING:
            values["started_at"] = at
        elif status in (BroadcastStatus.SENT, BroadcastStatus.CANCELLED):
            values["finished_at"] = at
        await self._session.execute(
            sa.update(broadcasts).where(broadcasts.c.id == broadcast_id).values(values)
        )

    async def expand(
        self,
        broadcast: Broadcast,
        gaps: dict[Channel, float],
        configured: frozenset[Channel],
        now: datetime,
    ) -> int:
        """Queue one message per reachable member on a configured channel; returns how
        many were queued."""
        result = await self._session.execute(
            _EXPAND,
            {
                "segments": list(broadcast.segment_ids),
                "channel": broadcast.channel.value if broadcast.channel else None,
                "tenant": self._tenant,
                "text": broadcast.text,
                "broadcast": broadcast.id,
                "now": now,
                "rate_channels": [channel.value for channel in gaps],
                "gaps": list(gaps.values()),
                "configured": sorted(channel.value for channel in configured),
            },
        )
        return int(result.scalar_one())

    async def started(self, broadcast_id: uuid.UUID) -> bool:
        """Whether the mailing's messages were queued already."""
        found = await self._session.scalar(
            sa.select(broadcasts.c.started_at.is_not(None)).where(broadcasts.c.id == broadcast_id)
        )
        return bool(found)

    async def has_unsent(self, broadcast_id: uuid.UUID) -> bool:
        found = await self._session.scalar(
            sa.select(
                sa.exists().where(
                    messages.c.broadcast_id == broadcast_id, messages.c.status == "QUEUED"
                )
            )
        )
        return bool(found)

    async def drop_unsent(self, broadcast_id: uuid.UUID) -> int:
        """Delete the mailing's messages not sent yet, except those a sender is sending now."""
        unsent = (
            sa.select(messages.c.id)
            .where(messages.c.broadcast_id == broadcast_id, messages.c.status == "QUEUED")
            .with_for_update(skip_locked=True)
        )
        result = await self._session.execute(
            sa.delete(messages)
            .where(messages.c.id.in_(unsent.scalar_subquery()))
            .returning(messages.c.id)
        )
        return len(result.all())
