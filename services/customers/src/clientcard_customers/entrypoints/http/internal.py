"""What the other services ask the customers service directly, outside GraphQL.

`POST /internal/v1/customers/lookup` answers which of some ids and phones are customers
of the caller's tenant now, from this service's own database: bonuses, messaging and
receipts ask it for a customer their projection of `customers.v1` has not learned yet.
An id merged away is answered with the card it ended in (`merged`, that card among the
customers): a till may name a duplicate before the merge's event reached the others.
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
    # The version of the customer's events this answer is as new as: an event below it,
    # read later by the asking service, is older than what it was told here.
    version: int


class MergedAway(BaseModel):
    id: uuid.UUID
    survivorId: uuid.UUID  # noqa: N815 (the JSON's spelling)


class Found(BaseModel):
    customers: list[Identity]
    merged: list[MergedAway] = Field(default_factory=list)


def internal_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["internal"], include_in_schema=False)

    @router.post(LOOKUP_PATH)
    async def lookup(wanted: Lookup, caller: FromService) -> Found:
        async with CustomersUnitOfWork.for_tenant(
            runtime.db, tenant=caller.tenant, source=SOURCE
        ) as uow:
            found = await uow.customers.identities(wanted.ids, wanted.phones)
            missing = set(wanted.ids) - {customer_id for customer_id, _, _ in found}
            survivors = await uow.merging.survivors_of(missing)
            if survivors:
                found += await uow.customers.identities(set(survivors.values()), ())
        identities = {i: Identity(id=i, phone=phone, version=v) for i, phone, v in found}
        return Found(
            customers=list(identities.values()),
            merged=[
                MergedAway(id=duplicate, survivorId=survivor)
                for duplicate, survivor in survivors.items()
                if survivor in identities
            ],
        )

    return router
