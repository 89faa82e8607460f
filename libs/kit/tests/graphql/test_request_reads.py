"""The loaders of one request read in one transaction, one at a time, closed at its end."""

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
from clientcard_kit.graphql.request_reads import RequestReads
from clientcard_kit.unit_of_work import UnitOfWork

TRANSACTION = sa.text("SELECT txid_current()::text")
TENANT_SETTING = sa.text("SELECT current_setting('app.tenant_id', true)")


def reading(db: Database, tenant: str = "salon-a") -> UnitOfWork:
    return UnitOfWork.for_tenant(db, tenant=tenant, source="/clientcard/kit-tests")


async def transaction_of(reads: RequestReads, db: Database) -> str:
    async with reads.using(lambda: reading(db)) as uow:
        # A pause mid-block: another loader of the request must wait, not interleave.
        await asyncio.sleep(0.01)
        return str(await uow.session.scalar(TRANSACTION))


@pytest.mark.integration
async def test_the_loaders_of_a_request_share_one_transaction(db: Database) -> None:
    reads = RequestReads()
    seen = await asyncio.gather(*(transaction_of(reads, db) for _ in range(5)))
    assert len(set(seen)) == 1
    assert reads.is_open
    async with reads.using(lambda: reading(db)) as uow:
        assert await uow.session.scalar(TENANT_SETTING) == "salon-a"
    await reads.close()
    assert not reads.is_open
    assert await transaction_of(reads, db) != seen[0]
    await reads.close()


@pytest.mark.integration
async def test_after_a_failed_read_the_next_loader_starts_a_clean_transaction(
    db: Database,
) -> None:
    reads = RequestReads()
    first = await transaction_of(reads, db)
    with pytest.raises(DBAPIError):
        async with reads.using(lambda: reading(db)) as uow:
            await uow.session.execute(sa.text("SELECT no_such_column FROM visits"))
    assert not reads.is_open
    assert await transaction_of(reads, db) != first
    await reads.close()


@strawberry.type
class Query:
    @strawberry.field
    async def visits(self, info: strawberry.Info[RequestContext[Database], None]) -> int:
        context = info.context
        async with context.reads.using(lambda: reading(context.services)) as uow:
            return int(await uow.session.scalar(sa.text("SELECT count(*) FROM visits")) or 0)


@pytest.mark.integration
async def test_the_operation_closes_the_transaction_when_it_ends(db: Database) -> None:
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
