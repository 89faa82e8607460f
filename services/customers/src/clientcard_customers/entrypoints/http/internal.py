"""What the other services ask the customers service directly, outside GraphQL.

`POST /internal/v1/customers/lookup` answers which of some ids and phones are customers
of the caller's tenant now, from this service's own database: bonuses, messaging and
receipts ask it for a customer their projection of `customers.v1` has not learned yet.
Only another service's token is accepted (see the kit's `internal` guard).
"""

import uuid

from fastapi import APIRouter
from pydantic import BaseModel, Field

from clientcard_customers.db.unit_of_work import SOURCE, CustomersUnitOfWork
from clientcard_kit.internal import FromService
from clientcard_kit.internal.customers import LOOKUP_LIMIT, LOOKUP_PATH
from clientcard_kit.runtime import ServiceRuntime


class Lookup(BaseModel):
    ids: list[uuid.UUID] = Field(default_factory=list, max_length=LOOKUP_LIMIT)
    phones: list[str] = Field(default_factory=list, max_length=LOOKUP_LIMIT)


class Identity(BaseModel):
    id: uuid.UUID
    phone: str | None


class Found(BaseModel):
    customers: list[Identity]


def internal_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["internal"], include_in_schema=False)

    @router.post(LOOKUP_PATH)
    async def lookup(wanted: Lookup, caller: FromService) -> Found:
        async with CustomersUnitOfWork.for_tenant(
            runtime.db, tenant=caller.tenant, source=SOURCE
        ) as uow:
            found = await uow.customers.identities(wanted.ids, wanted.phones)
        return Found(customers=[Identity(id=i, phone=phone) for i, phone in found])

    return router
