"""The messaging subgraph: queries and mutations of the contract, each a thin call."""

import uuid
from datetime import UTC, datetime
from typing import Annotated, cast

import strawberry

from clientcard_contracts.enums import Channel
from clientcard_kit.auth import Role
from clientcard_kit.graphql import Connection, build_schema, page_request
from clientcard_kit.graphql.enums import ChannelType
from clientcard_messaging import commands
from clientcard_messaging.channels.registry import Providers
from clientcard_messaging.entrypoints.graphql import loaders
from clientcard_messaging.entrypoints.graphql.automations import (
    AutomationMutations,
    AutomationQueries,
)
from clientcard_messaging.entrypoints.graphql.context import Info
from clientcard_messaging.entrypoints.graphql.inputs import BroadcastInput, one
from clientcard_messaging.entrypoints.graphql.types import (
    Broadcast,
    Customer,
    Message,
    MessengerSubscription,
    NpsReport,
)
from clientcard_messaging.settings import MessagingSettings

BROADCASTS_PAGE = 20


def _now() -> datetime:
    return datetime.now(UTC)


@strawberry.type
class Query(AutomationQueries):
    @strawberry.field
    async def broadcasts(
        self, info: Info, first: int | None = BROADCASTS_PAGE, after: str | None = None
    ) -> Connection[Broadcast]:
        page = page_request(first, after, default=BROADCASTS_PAGE, key=(datetime, uuid.UUID))
        position = (page.after[0], page.after[1]) if page.after else None
        async with info.context.services.uow() as uow:
            rows = await uow.broadcasts.page(page.limit, position)

        async def total() -> int:
            async with info.context.services.uow() as uow:
                return await uow.broadcasts.count()

        return page.connection(
            rows, node=Broadcast.of, key=lambda row: (row.created_at, row.id), total=total
        )

    @strawberry.field
    async def broadcast(self, info: Info, id: strawberry.ID) -> Broadcast | None:
        found = await loaders.broadcasts(info).load(one("id", id))
        return Broadcast.of(found) if found else None

    @strawberry.field
    async def nps_report(
        self,
        info: Info,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
    ) -> NpsReport:
        async with info.context.services.uow() as uow:
            return NpsReport.of(await uow.nps.report(from_, to))


def _configured(info: Info) -> frozenset[Channel]:
    """The caller's merchant's channels that have a provider."""
    services = info.context.services
    settings = cast(MessagingSettings, services.runtime.settings)
    return Providers(settings).configured(services.tenant)


@strawberry.type
class Mutation(AutomationMutations):
    # Each mutation: the role check, argument parsing, then one command in one unit of work.
    @strawberry.mutation
    async def link_messenger(
        self,
        info: Info,
        customer_id: strawberry.ID,
        channel: ChannelType,  # type: ignore[valid-type]
        address: str,
    ) -> list[MessengerSubscription]:
        info.context.require(Role.MANAGER)
        customer = one("customerId", customer_id)
        await info.context.services.require_customer(customer)
        run = info.context.services.run
        configured = _configured(info)
        found = await run(commands.link_messenger, customer, Channel(channel), address, configured)
        return MessengerSubscription.all(found)

    @strawberry.mutation
    async def set_default_messenger(
        self,
        info: Info,
        customer_id: strawberry.ID,
        channel: ChannelType,  # type: ignore[valid-type]
    ) -> list[MessengerSubscription]:
        info.context.require(Role.MANAGER)
        run = info.context.services.run
        found = await run(
            commands.set_default_messenger, one("customerId", customer_id), Channel(channel)
        )
        return MessengerSubscription.all(found)

    @strawberry.mutation
    async def send_message(
        self,
        info: Info,
        customer_id: strawberry.ID,
        text: str,
        # UNSET rather than None: a printed `= null` on an enum splits the two composers.
        channel: ChannelType | None = strawberry.UNSET,  # type: ignore[valid-type]
    ) -> Message:
        info.context.require(Role.MANAGER)
        customer = one("customerId", customer_id)
        await info.context.services.require_customer(customer)
        run = info.context.services.run
        wanted = Channel(channel) if channel else None
        sent = await run(commands.send_message, customer, text, wanted, _configured(info))
        return Message.of(sent)

    @strawberry.mutation
    async def unsubscribe_messenger(
        self,
        info: Info,
        customer_id: strawberry.ID,
        channel: ChannelType,  # type: ignore[valid-type]
    ) -> list[MessengerSubscription]:
        info.context.require(Role.MANAGER)
        run = info.context.services.run
        found = await run(
            commands.unsubscribe_messenger, one("customerId", customer_id), Channel(channel)
        )
        return MessengerSubscription.all(found)

    @strawberry.mutation
    async def create_broadcast(self, info: Info, input: BroadcastInput) -> Broadcast:
        info.context.require(Role.MANAGER)
        new = input.to_domain(_now())
        return Broadcast.of(await info.context.services.run(commands.create_broadcast, new))

    @strawberry.mutation
    async def cancel_broadcast(self, info: Info, id: strawberry.ID) -> Broadcast:
        info.context.require(Role.MANAGER)
        return Broadcast.of(
            await info.context.services.run(commands.cancel_broadcast, one("id", id))
        )


schema = build_schema(query=Query, mutation=Mutation, types=(Customer,))
