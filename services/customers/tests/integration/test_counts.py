"""The counts the triggers keep agree with counting the rows, whatever changed them."""

import asyncio
import uuid
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from clientcard_contracts.enums import RegistrationSource
from clientcard_customers import commands
from clientcard_customers.db.tables import customer_segments, customers
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import ClientFilter
from clientcard_customers.domain.profile import NewCustomer, Profile, Registration
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database

pytestmark = pytest.mark.integration

TODAY = date(2026, 11, 23)


def new_customer() -> NewCustomer:
    return NewCustomer(
        phone=f"+7914{uuid.uuid4().int % 10_000_000:07d}",
        profile=Profile(first_name="Ева"),
        registration=Registration(
            registered_at=datetime.now(UTC), source=RegistrationSource.MANUAL
        ),
    )


async def test_tenant_and_segment_counts_follow_every_change(
    customers_settings: CustomersSettings,
) -> None:
    db = Database(customers_settings.database_url)
    tenant = f"counts-{uuid.uuid4().hex[:8]}"

    def uow() -> CustomersUnitOfWork:
        return CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests")

    async def register() -> uuid.UUID:
        async with uow() as work:
            return (await commands.register_customer(work, new_customer())).id

    async def kept_and_counted(segment: uuid.UUID) -> tuple[int, int, int, int]:
        async with uow() as work:
            everyone = await work.client_list.count(ClientFilter(), TODAY)
            members = await work.client_list.count(ClientFilter(segment_ids=(segment,)), TODAY)
            rows = await work.session.scalar(sa.select(sa.func.count()).select_from(customers))
            in_segment = await work.session.scalar(
                sa.select(sa.func.count())
                .select_from(customer_segments)
                .where(customer_segments.c.segment_id == segment)
            )
        return everyone, int(rows or 0), members, int(in_segment or 0)

    # Registrations at the same moment all count: they wait for each other's update.
    ids = list(await asyncio.gather(*(register() for _ in range(8))))
    async with uow() as work:
        vip = (await commands.create_segment(work, "VIP")).id
    async with uow() as work:
        other = (await commands.create_segment(work, "Другие")).id

    async def assign(customer: uuid.UUID) -> None:
        async with uow() as work:
            await commands.assign_segments(work, customer, [other, vip])

    # Assignments at the same moment to the same segments wait in turn, none deadlocks.
    await asyncio.gather(*(assign(customer) for customer in ids[:5]))
    assert await kept_and_counted(vip) == (8, 8, 5, 5)

    async with uow() as work:
        await commands.unassign_segments(work, ids[0], [vip])
    async with uow() as work:
        await commands.erase_customer(work, ids[1])  # leaves both segments with it
    async with uow() as work:
        await commands.delete_segment(work, other)
    assert await kept_and_counted(vip) == (7, 7, 3, 3)
    async with uow() as work:
        segment = (await work.segments.get_many([vip]))[vip]
        assert await work.segments.counts([vip]) == {segment.id: 3}

    # Another tenant's counts are its own.
    async with CustomersUnitOfWork.for_tenant(db, tenant="nobody", source="tests") as work:
        assert await work.client_list.count(ClientFilter(), TODAY) == 0
        assert await work.client_list.count(ClientFilter(segment_ids=(vip,)), TODAY) == 0
    await db.dispose()


async def test_assignments_racing_for_a_segment_wait_in_turn_instead_of_deadlocking(
    customers_settings: CustomersSettings,
) -> None:
    db = Database(customers_settings.database_url)
    tenant = f"race-{uuid.uuid4().hex[:8]}"

    def uow() -> CustomersUnitOfWork:
        return CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests")

    async with uow() as work:
        first = (await commands.register_customer(work, new_customer())).id
    async with uow() as work:
        second = (await commands.register_customer(work, new_customer())).id
    async with uow() as work:
        segment = (await commands.create_segment(work, "Гости")).id

    async def assign_second() -> None:
        async with uow() as work:
            await commands.assign_segments(work, second, [segment])

    # One assignment has checked its foreign key (KEY SHARE on the segment) when another
    # comes; then the first goes on to count its member.
    async with db.transaction(tenant) as session:
        await session.execute(
            sa.text("SELECT 1 FROM segments WHERE id = :id FOR KEY SHARE"), {"id": segment}
        )
        racing = asyncio.create_task(assign_second())
        await asyncio.sleep(0.5)  # the other assignment reaches its count meanwhile
        await session.execute(
            sa.insert(customer_segments).values(
                tenant_id=tenant,
                customer_id=first,
                segment_id=segment,
                assigned_at=datetime.now(UTC),
            )
        )
    await racing
    async with uow() as work:
        assert await work.segments.counts([segment]) == {segment: 2}
    await db.dispose()
