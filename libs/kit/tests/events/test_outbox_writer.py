"""A unit of work's events become outbox rows with its changes, and only then."""

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_kit.db import Database
from clientcard_kit.unit_of_work import UnitOfWork

from .pipeline import TENANT
from .visits import VisitRecorded

pytestmark = pytest.mark.integration

ROW = "SELECT topic, key, event_type, source, subject, tenant_id, data FROM outbox"


async def published(db: Database) -> list[tuple[object, ...]]:
    async with db.transaction() as session:
        return [tuple(row) for row in await session.execute(sa.text(f"{ROW} ORDER BY seq"))]


async def test_a_commit_writes_each_event_as_a_row_in_the_order_published(
    db: Database,
) -> None:
    visits = [VisitRecorded(tenant_id=TENANT, customer_id=f"c-{n}") for n in range(3)]
    async with UnitOfWork.for_tenant(db, tenant=TENANT, source="kittests") as uow:
        for visit in visits:
            uow.publish(visit)
        await uow.commit()
    assert await published(db) == [
        (
            VisitRecorded.TOPIC,
            visit.key(),
            VisitRecorded.TYPE,
            "kittests",
            visit.subject(),
            TENANT,
            visit.model_dump(mode="json", by_alias=True),
        )
        for visit in visits
    ]
    assert [row[1] for row in await published(db)] == ["c-0", "c-1", "c-2"]


async def test_nothing_is_written_without_a_commit(db: Database) -> None:
    async with UnitOfWork.for_tenant(db, tenant=TENANT, source="kittests") as uow:
        uow.publish(VisitRecorded(tenant_id=TENANT, customer_id="c-1"))
    assert await published(db) == []


async def test_a_joined_block_that_ends_well_leaves_its_events_with_its_changes(
    db: Database,
) -> None:
    async with (
        db.transaction(TENANT) as session,
        UnitOfWork.joining(session, tenant=TENANT, source="kittests") as uow,
    ):
        # No commit(): in a consumer's transaction the consumer commits.
        uow.publish(VisitRecorded(tenant_id=TENANT, customer_id="c-1"))
    assert [row[1] for row in await published(db)] == ["c-1"]


async def failing_handler(session: AsyncSession) -> None:
    async with UnitOfWork.joining(session, tenant=TENANT, source="kittests") as uow:
        uow.publish(VisitRecorded(tenant_id=TENANT, customer_id="c-1"))
        raise RuntimeError("the handler failed")


async def test_a_joined_block_that_fails_leaves_no_event(db: Database) -> None:
    async with db.transaction(TENANT) as session:
        with pytest.raises(RuntimeError):
            await failing_handler(session)
        async with UnitOfWork.joining(session, tenant=TENANT, source="kittests") as uow:
            uow.publish(VisitRecorded(tenant_id=TENANT, customer_id="c-2"))
    assert [row[1] for row in await published(db)] == ["c-2"]


async def test_events_of_a_block_rolled_back_to_its_savepoint_do_not_leave(
    db: Database,
) -> None:
    async with db.transaction(TENANT) as session:
        savepoint = await session.begin_nested()
        async with UnitOfWork.joining(session, tenant=TENANT, source="kittests") as uow:
            uow.publish(VisitRecorded(tenant_id=TENANT, customer_id="c-1"))
        await savepoint.rollback()
        async with UnitOfWork.joining(session, tenant=TENANT, source="kittests") as uow:
            uow.publish(VisitRecorded(tenant_id=TENANT, customer_id="c-2"))
    assert [row[1] for row in await published(db)] == ["c-2"]
