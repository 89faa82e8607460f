"""What the tests of jobs through the API share: a shop of known customers, the
queries, and waiting for a job to finish (the service's own runner works on it)."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers import commands
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import ClientFilter
from clientcard_customers.domain.profile import NewCustomer, Profile, Registration
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database
from clientcard_kit.testing import eventually

from .calls import tenant

NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)
JOB = "id kind status total processed failed createdAt finishedAt error downloadUrl"
ASSIGN = f"""
mutation($filter: CustomerFilter!, $segments: [ID!]!) {{
  assignSegmentsByFilter(filter: $filter, segmentIds: $segments) {{ {JOB} }}
}}"""
UNASSIGN = f"""
mutation($filter: CustomerFilter!, $segments: [ID!]!) {{
  unassignSegmentsByFilter(filter: $filter, segmentIds: $segments) {{ {JOB} }}
}}"""
ACCRUE = f"""
mutation($filter: CustomerFilter!, $amount: Decimal!, $comment: String, $expiresAt: DateTime) {{
  accrueBonusesByFilter(filter: $filter, amount: $amount, comment: $comment,
                        expiresAt: $expiresAt) {{ {JOB} }}
}}"""
GET = f"query($id: ID!) {{ job(id: $id) {{ {JOB} }} }}"
LIST = f"""
query($first: Int, $after: String) {{
  jobs(first: $first, after: $after) {{
    totalCount edges {{ cursor node {{ {JOB} }} }} pageInfo {{ hasNextPage endCursor }}
  }}
}}"""
CANCEL = f"mutation($id: ID!) {{ cancelJob(id: $id) {{ {JOB} }} }}"
WOMEN = {"gender": "FEMALE"}


@dataclass
class Shop:
    tenant: str
    women: list[uuid.UUID]
    men: list[uuid.UUID]
    gift: uuid.UUID
    dynamic: uuid.UUID


async def register(db: Database, tenant_id: str, index: int, gender: Gender) -> uuid.UUID:
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant_id, source="tests") as uow:
        customer = await commands.register_customer(
            uow,
            NewCustomer(
                phone=f"+7912{uuid.uuid4().int % 10_000_000:07d}",
                profile=Profile(first_name=f"Клиент{index}", gender=gender),
                registration=Registration(registered_at=NOW, source=RegistrationSource.POS),
            ),
        )
    return customer.id


@pytest.fixture(name="db")
async def db_fixture(customers_settings: CustomersSettings) -> AsyncIterator[Database]:
    database = Database(customers_settings.database_url)
    yield database
    await database.dispose()


@pytest.fixture(name="shop")
async def shop_fixture(db: Database) -> Shop:
    """Four women and three men; a manual segment and a dynamic one holding the members
    of the manual one."""
    tenant_id = tenant()
    women = [await register(db, tenant_id, i, Gender.FEMALE) for i in range(4)]
    men = [await register(db, tenant_id, i, Gender.MALE) for i in range(3)]
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant_id, source="tests") as uow:
        gift = await commands.create_segment(uow, "Подарок")
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant_id, source="tests") as uow:
        follows = ClientFilter(segment_ids=(gift.id,))
        dynamic = await commands.create_segment(uow, "Все с подарком", follows)
    return Shop(tenant_id, women, men, gift.id, dynamic.id)


async def finished(call: Any, job_id: str) -> dict[str, Any]:
    """The job once it stopped running (the service's own runner works on it)."""
    seen: dict[str, Any] = {}

    async def done() -> bool:
        seen.update((await call.data(GET, id=job_id))["job"])
        return seen["status"] not in ("QUEUED", "RUNNING")

    await eventually(done, what=f"job {job_id} to finish")
    return seen


async def members(db: Database, tenant_id: str, segment_id: uuid.UUID) -> set[uuid.UUID]:
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant_id, source="tests") as uow:
        return set(await uow.segments.members(segment_id))


async def announced(db: Database, event_type: str, customer_ids: list[uuid.UUID]) -> list[str]:
    """The keys (customer ids) of the service's outbox events of a type about them."""
    async with db.transaction() as session:
        keys = await session.scalars(
            sa.text("SELECT key FROM outbox WHERE event_type = :type AND key = ANY(:keys)"),
            {"type": event_type, "keys": [str(customer) for customer in customer_ids]},
        )
        return sorted(keys)


SEGMENTS_CHANGED = "customers.customer.segments.changed.v1"
