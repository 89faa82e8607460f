"""Keeping the inbox bounded: an event id is kept only while a redelivery is possible.

Every consumer records each event id it processed, so that a redelivery changes nothing.
Kafka redelivers only what its topics still hold, so an id older than the topics'
retention can never come again: the pruning job forgets ids processed longer ago than
`INBOX_RETENTION_DAYS` (longer than any topic's retention), the oldest first, in batches.
Every replica runs it; batches are taken with SKIP LOCKED, so replicas share the work and
never wait on one another, nor on the consumers, which only insert.
"""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import text

from clientcard_kit.db.database import Database
from clientcard_kit.jobs import PeriodicJob

if TYPE_CHECKING:
    from clientcard_kit.runtime import ServiceRuntime

BATCH = 5000
INTERVAL_SECONDS = 600.0
# Between two batches of one run: a run with a day to forget (the job stopped for a day)
# leaves the consumers most of the database instead of deleting back to back.
PAUSE_SECONDS = 0.2

_PRUNE = text(
    """
    DELETE FROM inbox WHERE ctid = ANY(ARRAY(
      SELECT ctid FROM inbox WHERE processed_at < :cutoff
      ORDER BY processed_at LIMIT :batch FOR UPDATE SKIP LOCKED))
    """
)


async def prune_inbox(db: Database, cutoff: datetime, batch: int = BATCH) -> int:
    """Forget up to `batch` event ids processed before `cutoff`; returns how many."""
    async with db.transaction() as session:
        result = await session.execute(_PRUNE, {"cutoff": cutoff, "batch": batch})
    return int(getattr(result, "rowcount", 0) or 0)


async def prune_expired(
    db: Database, cutoff: datetime, batch: int = BATCH, pause: float = PAUSE_SECONDS
) -> int:
    """Forget every event id processed before `cutoff`, a batch at a time; returns how many.

    However many events a day brings, one run forgets everything that expired since the
    last, so the inbox never holds more than the retention's worth and one interval's.
    """
    forgotten = 0
    while (done := await prune_inbox(db, cutoff, batch)) > 0:
        forgotten += done
        if done < batch:
            break
        await asyncio.sleep(pause)
    return forgotten


async def _tick(runtime: "ServiceRuntime") -> int:
    retention = timedelta(days=runtime.settings.inbox_retention_days)
    return await prune_expired(runtime.db, datetime.now(UTC) - retention)


INBOX_PRUNING = PeriodicJob("inbox-pruning", _tick, interval_seconds=INTERVAL_SECONDS)
