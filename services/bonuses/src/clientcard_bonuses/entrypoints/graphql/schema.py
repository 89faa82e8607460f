"""The bonuses subgraph: queries and mutations of the contract, each a thin call."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Annotated

import strawberry

from clientcard_bonuses import commands
from clientcard_bonuses.db.unit_of_work import BonusesUnitOfWork
from clientcard_bonuses.domain.account import Operation
from clientcard_bonuses.domain.reservations import DEFAULT_TTL_SECONDS
from clientcard_bonuses.entrypoints.graphql import inputs
from clientcard_bonuses.entrypoints.graphql.context import Info
from clientcard_bonuses.entrypoints.graphql.inputs import LoyaltyProgramInput
from clientcard_bonuses.entrypoints.graphql.types import (
    BonusOperation,
    BonusQuote,
    BonusReservation,
    Customer,
    LoyaltyProgram,
    Receipt,
)
from clientcard_kit.auth import Role
from clientcard_kit.graphql import build_schema

ManualCommand = Callable[
    [BonusesUnitOfWork, uuid.UUID, Decimal, str | None, str, str | None], Awaitable[Operation]
]
REQUEST_ID = strawberry.argument(
    description="The caller's id of this operation (at most 64 characters): sent again "
    "after a lost answer, it returns the operation already made instead of a second one."
)


@strawberry.type
class Query:
    @strawberry.field
    async def loyalty_program(self, info: Info) -> LoyaltyProgram:
        info.context.require(Role.VIEWER)
        async with info.context.services.uow() as uow:
            return LoyaltyProgram.of(await uow.programs.get())

    @strawberry.field
    async def bonus_quote(
        self, info: Info, customer_id: strawberry.ID, total: Decimal
    ) -> BonusQuote:
        info.context.require(Role.VIEWER)
        customer = inputs.customer_id(customer_id)
        return BonusQuote.of(await info.context.services.run(commands.quote, customer, total))


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def accrue_bonuses(
        self,
        info: Info,
        customer_id: strawberry.ID,
        amount: Decimal,
        comment: str | None = None,
        request_id: Annotated[strawberry.ID | None, REQUEST_ID] = None,
        expires_at: datetime | None = None,
    ) -> BonusOperation:
        """A manual accrual; `expiresAt` (in the future) is when its lot burns, else the
        program's expiry period counts from now."""
        accrue = partial(commands.accrue_bonuses, expires_at=expires_at)
        return await _manual(info, accrue, customer_id, amount, comment, request_id)

    @strawberry.mutation
    async def write_off_bonuses(
        self,
        info: Info,
        customer_id: strawberry.ID,
        amount: Decimal,
        comment: str | None = None,
        request_id: Annotated[strawberry.ID | None, REQUEST_ID] = None,
    ) -> BonusOperation:
        return await _manual(
            info, commands.write_off_bonuses, customer_id, amount, comment, request_id
        )

    # Bonuses held for a sale at the till; the receipt carrying the id spends exactly them.
    @strawberry.mutation
    async def reserve_bonuses(
        self,
        info: Info,
        customer_id: strawberry.ID,
        total: Decimal,
        amount: Decimal,
        ttl_seconds: int | None = DEFAULT_TTL_SECONDS,
    ) -> BonusReservation:
        info.context.require(Role.MANAGER)
        customer = inputs.customer_id(customer_id)
        await info.context.services.require_customer(customer)
        ttl = DEFAULT_TTL_SECONDS if ttl_seconds is None else ttl_seconds
        run = info.context.services.run
        return BonusReservation.of(
            await run(commands.reserve_bonuses, customer, total, amount, ttl)
        )

    @strawberry.mutation
    async def release_bonus_reservation(self, info: Info, id: strawberry.ID) -> BonusReservation:
        info.context.require(Role.MANAGER)
        reservation = inputs.reservation_id(id)
        run = info.context.services.run
        return BonusReservation.of(await run(commands.release_bonus_reservation, reservation))

    @strawberry.mutation
    async def update_loyalty_program(
        self, info: Info, input: LoyaltyProgramInput
    ) -> LoyaltyProgram:
        author = info.context.require(Role.OWNER).subject
        changes = input.to_domain()
        run = info.context.services.run
        return LoyaltyProgram.of(await run(commands.update_loyalty_program, changes, author))


async def _manual(
    info: Info,
    command: ManualCommand,
    customer_id: strawberry.ID,
    amount: Decimal,
    comment: str | None,
    request_id: strawberry.ID | None,
) -> BonusOperation:
    """A manual accrual or write-off: a manager's, for a customer that exists."""
    author = info.context.require(Role.MANAGER).subject
    customer = inputs.customer_id(customer_id)
    await info.context.services.require_customer(customer)
    run = info.context.services.run
    return BonusOperation.of(await run(command, customer, amount, comment, author, request_id))


schema = build_schema(query=Query, mutation=Mutation, types=(Customer, Receipt))
