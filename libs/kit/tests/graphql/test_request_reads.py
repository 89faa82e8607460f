"""The loaders of one request read on one connection, one at a time, given back at its end;
a read whose connection died is read again on a new one."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import sqlalchemy as sa
import strawberry
from sqlalchemy.exc import DBAPIError

from clientcard_kit.auth import Principal, Role
from clientcard_kit.db import Database
from clientcard_kit.graphql import RequestContext, build_schema
from clientcard_kit.graphql.dataloaders import unit_of_work_loader
from clientcard_kit.graphql.request_reads import RequestReads
from clientcard_kit.unit_of_work import UnitOfWork

CONNECTION = sa.text("SELECT pg_backend_pid()::text")
TENANT_SETTING = sa.text("SELECT current_setting('app.tenant_id', true)")


def reading(db: Database, tenant: str = "salon-a") -> UnitOfWork:
    return UnitOfWork.reading(db, tenant=tenant, source="/clientcard/kit-tests")


async def connection_of(reads: RequestReads, db: Database) -> str:
    async with reads.using(lambda: reading(db)) as uow:
        # A pause mid-block: another loader of the request must wait, not interleave.
        await asyncio.sleep(0.01)
        return str(await uow.session.scalar(CONNECTION))


@pytest.mark.integration
async def test_the_loaders_of_a_request_share_one_connection(db: Database) -> None:
    reads = RequestReads()
    seen = await asyncio.gather(*(connection_of(reads, db) for _ in range(5)))
    assert len(set(seen)) == 1
    assert reads.is_open
    async with reads.using(lambda: reading(db)) as uow:
        assert await uow.session.scalar(TENANT_SETTING) == "salon-a"
        # Outside any transaction (each statement is its own): nothing held in between.
        began = await uow.session.scalar(sa.text("SELECT now()"))
        await asyncio.sleep(0.01)
        assert await uow.session.scalar(sa.text("SELECT now()")) > began
    await reads.close()
    assert not reads.is_open
    async with reads.using(lambda: reading(db, "salon-b")) as uow:
        assert await uow.session.scalar(TENANT_SETTING) == "salon-b"
    await reads.close()


@pytest.mark.integration
async def test_after_a_failed_read_the_next_loader_reads_on(db: Database) -> None:
    reads = RequestReads()
    await connection_of(reads, db)
    with pytest.raises(DBAPIError):
        async with reads.using(lambda: reading(db)) as uow:
            await uow.session.execute(sa.text("SELECT no_such_column FROM visits"))
    assert not reads.is_open
    assert await connection_of(reads, db)
    await reads.close()


@pytest.mark.integration
async def test_a_read_whose_connection_died_is_read_again_on_a_new_one(db: Database) -> None:
    principal = Principal(subject="anna", tenant="salon-a", role=Role.VIEWER)

    async def connections(uow: UnitOfWork, keys: list[str]) -> dict[str, str]:
        return dict.fromkeys(keys, str(await uow.session.scalar(CONNECTION)))

    async def read_once() -> str | None:
        context = RequestContext(principal=principal, services=db)
        loader = unit_of_work_loader(context, "pid", lambda: reading(db), connections, None)
        try:
            return await loader.load("visit")
        finally:
            await context.reads.close()

    first = await read_once()
    # The server ends that connection (a restart would), while it waits in the pool.
    async with db.transaction() as session:
        await session.execute(
            sa.text("SELECT pg_terminate_backend(CAST(:pid AS int))"), {"pid": first}
        )
    second = await read_once()
    assert second is not None
    assert second != first


@strawberry.type
class Query:
    @strawberry.field
    async def visits(self, info: strawberry.Info[RequestContext[Database], None]) -> int:
        context = info.context
        async with context.reads.using(lambda: reading(context.services)) as uow:
            return int(await uow.session.scalar(sa.text("SELECT count(*) FROM visits")) or 0)


@pytest.mark.integration
async def test_the_operation_gives_the_connection_back_when_it_ends(db: Database) -> None:
    schema = build_schema(query=Query)
    principal = Principal(subject="anna", tenant="salon-a", role=Role.VIEWER)
    context = RequestContext(principal=principal, services=db)
    result = await schema.execute("{ visits }", context_value=context)
    assert result.errors is None
    assert result.data == {"visits": 0}
    assert not context.reads.is_open


async def test_the_unit_of_work_is_opened_on_first_use_only() -> None:
    opened: list[str] = []

    @asynccontextmanager
    async def never_opened() -> AsyncIterator[str]:
        opened.append("unit of work")
        yield "unit of work"

    reads = RequestReads()
    await reads.close()
    assert not reads.is_open
    assert opened == []
    async with reads.using(never_opened) as uow:
        assert uow == "unit of work"
    await reads.close()
    assert opened == ["unit of work"]
