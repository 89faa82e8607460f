"""The inbox forgets event ids no redelivery can bring again, and only those."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from clientcard_kit.db import Database
from clientcard_kit.events.inbox import prune_expired, prune_inbox

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC)


async def fill(db: Database, old: int, recent: int) -> None:
    async with db.transaction() as session:
        await session.execute(
            sa.text(
                "INSERT INTO inbox (consumer, event_id, event_type, processed_at) "
                "SELECT 'visits', 'old-' || n, 'visit', :old FROM generate_series(1, :o) n "
                "UNION ALL SELECT 'visits', 'new-' || n, 'visit', :new "
                "FROM generate_series(1, :r) n"
            ),
            {
                "old": NOW - timedelta(days=20),
                "new": NOW - timedelta(days=1),
                "o": old,
                "r": recent,
            },
        )


async def left(db: Database) -> dict[str, int]:
    async with db.transaction() as session:
        rows = await session.execute(
            sa.text("SELECT split_part(event_id, '-', 1), count(*) FROM inbox GROUP BY 1")
        )
        return {kind: int(count) for kind, count in rows}


async def test_ids_older_than_the_retention_are_forgotten_the_rest_kept(db: Database) -> None:
    await fill(db, old=120, recent=30)
    assert await prune_inbox(db, NOW - timedelta(days=14), batch=50) == 50
    assert await prune_inbox(db, NOW - timedelta(days=14), batch=50) == 50
    assert await prune_inbox(db, NOW - timedelta(days=14), batch=50) == 20
    assert await prune_inbox(db, NOW - timedelta(days=14), batch=50) == 0
    assert await left(db) == {"new": 30}


async def test_two_replicas_pruning_at_once_forget_each_id_once(
    db: Database, kit_database_url: str
) -> None:
    await fill(db, old=3000, recent=10)
    other = Database(kit_database_url)
    try:
        rounds = [
            asyncio.gather(
                prune_inbox(db, NOW - timedelta(days=14), batch=400),
                prune_inbox(other, NOW - timedelta(days=14), batch=400),
            )
            for _ in range(5)
        ]
        pruned = [sum(await done) for done in rounds]
    finally:
        await other.dispose()
    assert sum(pruned) == 3000
    assert await left(db) == {"new": 10}


async def test_one_run_of_the_job_forgets_everything_expired_however_much(db: Database) -> None:
    await fill(db, old=1234, recent=25)
    assert await prune_expired(db, NOW - timedelta(days=14), batch=100, pause=0) == 1234
    assert await left(db) == {"new": 25}
    assert await prune_expired(db, NOW - timedelta(days=14), batch=100, pause=0) == 0
