"""The receipts subgraph: queries and mutations of the contract, each a thin call."""

from datetime import UTC, datetime

import strawberry

from clientcard_contracts.pos import InvalidPosReceipt, read_pos_receipt
from clientcard_kit.auth import Role
from clientcard_kit.graphql import build_schema
from clientcard_kit.graphql.ids import argument_id
from clientcard_receipts import commands
from clientcard_receipts.domain.errors import ReceiptRejected
from clientcard_receipts.entrypoints.graphql import loaders
from clientcard_receipts.entrypoints.graphql.context import Info
from clientcard_receipts.entrypoints.graphql.inputs import ReceiptInput
from clientcard_receipts.entrypoints.graphql.types import (
    CreatedPosApiKey,
    Customer,
    PosApiKey,
    Receipt,
)


def _now() -> datetime:
    return datetime.now(UTC)


@strawberry.type
class Query:
    @strawberry.field
    async def receipt(self, info: Info, id: strawberry.ID) -> Receipt | None:
        info.context.require(Role.VIEWER)
        found = await loaders.receipts(info).load(argument_id(id, "id"))
        return Receipt.of(found) if found else None

    @strawberry.field
    async def pos_api_keys(self, info: Info) -> list[PosApiKey]:
        info.context.require(Role.OWNER)
        async with info.context.services.uow() as uow:
            return [PosApiKey.of(key) for key in await uow.api_keys.all()]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def register_receipt(self, info: Info, input: ReceiptInput) -> Receipt:
        principal = info.context.require(Role.MANAGER)
        try:
            receipt = read_pos_receipt(input.document(principal.tenant))
            services = info.context.services
            registration = await services.run(
                commands.register_receipt, receipt, _now(), services.runtime.customers
            )
        except InvalidPosReceipt as exc:
            raise ReceiptRejected(exc.problems, prefix="input") from None
        return Receipt.of(registration.receipt)

    @strawberry.mutation
    async def create_pos_api_key(self, info: Info, outlet_id: str, pos_id: str) -> CreatedPosApiKey:
        info.context.require(Role.OWNER)
        run = info.context.services.run
        key, secret = await run(commands.create_pos_api_key, outlet_id, pos_id, _now())
        return CreatedPosApiKey(api_key=PosApiKey.of(key), secret=secret)

    @strawberry.mutation
    async def revoke_pos_api_key(self, info: Info, id: strawberry.ID) -> PosApiKey:
        info.context.require(Role.OWNER)
        run = info.context.services.run
        return PosApiKey.of(await run(commands.revoke_pos_api_key, argument_id(id, "id"), _now()))


schema = build_schema(query=Query, mutation=Mutation, types=(Customer, Receipt))
