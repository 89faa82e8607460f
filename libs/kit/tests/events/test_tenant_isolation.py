"""Row-level security: a forgotten tenant filter cannot leak another merchant's rows."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from clientcard_kit.db import Database

pytestmark = pytest.mark.integration

INSERT = sa.text("INSERT INTO visits (id, tenant_id, note) VALUES (:id, :tenant, 'x')")
EVERY_VISIT = sa.text("SELECT id, tenant_id FROM visits ORDER BY id")


async def test_a_query_without_a_tenant_filter_sees_only_its_own_tenant(db: Database) -> None:
    async with db.transaction("salon-a") as session:
        await session.execute(INSERT, {"id": "a1", "tenant": "salon-a"})
    async with db.transaction("salon-b") as session:
        await session.execute(INSERT, {"id": "b1", "tenant": "salon-b"})

    async with db.transaction("salon-a") as session:
        assert (await session.execute(EVERY_VISIT)).all() == [("a1", "salon-a")]
    async with db.transaction("salon-b") as session:
        assert (await session.execute(EVERY_VISIT)).all() == [("b1", "salon-b")]


async def test_outside_a_tenant_scope_nothing_is_visible(db: Database) -> None:
    async with db.transaction("salon-a") as session:
        await session.execute(INSERT, {"id": "a1", "tenant": "salon-a"})
    async with db.transaction() as session:
        assert (await session.execute(EVERY_VISIT)).all() == []


async def test_the_scope_ends_with_the_transaction_on_a_reused_connection(db: Database) -> None:
    async with db.transaction("salon-a") as session:
        await session.execute(INSERT, {"id": "a1", "tenant": "salon-a"})
    async with db.sessions() as session:
        async with session.begin():
            await session.execute(sa.text("SELECT set_config('app.tenant_id', 'salon-a', true)"))
        async with session.begin():
            assert (await session.execute(EVERY_VISIT)).all() == []


async def test_writing_a_row_for_another_tenant_is_refused(db: Database) -> None:
    with pytest.raises(DBAPIError, match="row-level security"):
        async with db.transaction("salon-a") as session:
            await session.execute(INSERT, {"id": "b1", "tenant": "salon-b"})


async def test_updates_and_deletes_cannot_reach_another_tenant(db: Database) -> None:
    async with db.transaction("salon-b") as session:
        await session.execute(INSERT, {"id": "b1", "tenant": "salon-b"})
    async with db.transaction("salon-a") as session:
        updated = await session.execute(sa.text("UPDATE visits SET note = 'hijacked'"))
        deleted = await session.execute(sa.text("DELETE FROM visits"))
        assert (updated.rowcount, deleted.rowcount) == (0, 0)  # type: ignore[attr-defined]
    async with db.transaction("salon-b") as session:
        assert (await session.scalar(sa.text("SELECT note FROM visits"))) == "x"


async def test_reads_on_one_pooled_connection_see_each_callers_tenant_alone(
    db: Database,
) -> None:
    db = Database(db.url, read_pool_size=1, max_overflow=0)  # the fixture's emptied tables
    try:
        async with db.transaction("salon-a") as session:
            await session.execute(INSERT, {"id": "a1", "tenant": "salon-a"})
        async with db.transaction("salon-b") as session:
            await session.execute(INSERT, {"id": "b1", "tenant": "salon-b"})
        # One connection serves every read in turn, keeping the last reader's tenant.
        for tenant in ("salon-a", "salon-b", "salon-b", "salon-a"):
            async with db.reads(tenant) as session:
                visits = (await session.execute(EVERY_VISIT)).all()
                assert visits == [(f"{tenant[-1]}1", tenant)]
        # The reads' tenant never reaches a transaction: those connections are another pool.
        async with db.transaction() as session:
            assert (await session.execute(EVERY_VISIT)).all() == []
        with pytest.raises(DBAPIError, match="row-level security"):
            async with db.reads("salon-a") as session:
                await session.execute(INSERT, {"id": "a2", "tenant": "salon-b"})
    finally:
        await db.dispose()
