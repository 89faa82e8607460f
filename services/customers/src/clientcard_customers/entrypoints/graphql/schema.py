"""The customers subgraph: queries and mutations of the contract, each a thin call."""

import uuid
from datetime import UTC, datetime

import strawberry

from clientcard_customers import commands
from clientcard_customers.domain.client_list import ClientFilter, ClientOrder, Position
from clientcard_customers.domain.profile import phone as normalized_phone
from clientcard_customers.entrypoints.graphql import loaders
from clientcard_customers.entrypoints.graphql.context import Info
from clientcard_customers.entrypoints.graphql.inputs import (
    CustomerFilter,
    CustomerOrder,
    RegisterCustomerInput,
    UpdateCustomerInput,
    ids,
)
from clientcard_customers.entrypoints.graphql.jobs import Job, JobMutations, JobQueries
from clientcard_customers.entrypoints.graphql.types import Customer, Note, Segment
from clientcard_kit.auth import Role
from clientcard_kit.graphql import Connection, Edge, PageInfo, build_schema, page_request

LIST_PAGE = 50


def _today() -> datetime:
    return datetime.now(UTC)


def _one(field: str, value: strawberry.ID) -> uuid.UUID:
    return ids(field, [value])[0]


@strawberry.type
class Query(JobQueries):
    @strawberry.field
    async def customer(self, info: Info, id: strawberry.ID) -> Customer | None:
        found = await loaders.customers(info).load(_one("id", id))
        return Customer.of(found) if found else None

    @strawberry.field
    async def customer_by_phone(self, info: Info, phone: str) -> Customer | None:
        async with info.context.services.uow() as uow:
            found = await uow.customers.by_phone(normalized_phone(phone))
        return Customer.of(found) if found else None

    @strawberry.field
    async def customers(
        self,
        info: Info,
        filter: CustomerFilter | None = None,
        order_by: CustomerOrder | None = None,
        first: int | None = LIST_PAGE,
        after: str | None = None,
    ) -> Connection[Customer]:
        # The list's cursors carry its order, so only the page size goes through the kit.
        size = page_request(first, None, default=LIST_PAGE).first
        wanted = filter.to_domain() if filter else ClientFilter()
        order = order_by.to_domain() if order_by else ClientOrder()
        position = Position.decode(after, order) if after else None
        today = _today().date()
        async with info.context.services.uow() as uow:
            rows = await uow.client_list.page(wanted, order, size, position, today)

        async def total() -> int:
            async with info.context.services.uow() as uow:
                return await uow.client_list.count(wanted, today)

        page = rows[:size]
        edges = [Edge(at=at.encode, node=Customer.of(found)) for found, at in page]
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(rows) > size, end_cursor=page[-1][1].encode() if page else None
            ),
            total=total,
        )

    @strawberry.field
    async def segments(self, info: Info) -> list[Segment]:
        async with info.context.services.uow() as uow:
            return [Segment.of(found) for found in await uow.segments.all()]


@strawberry.type
class Mutation(JobMutations):
    # Each mutation: the role check, argument parsing, then one command in one unit of work.
    @strawberry.mutation
    async def register_customer(self, info: Info, input: RegisterCustomerInput) -> Customer:
        info.context.require(Role.MANAGER)
        new = input.to_domain(_today().date())
        return Customer.of(await info.context.services.run(commands.register_customer, new))

    @strawberry.mutation
    async def update_customer(
        self, info: Info, id: strawberry.ID, input: UpdateCustomerInput
    ) -> Customer:
        info.context.require(Role.MANAGER)
        changes = input.to_domain(_today().date())
        run = info.context.services.run
        return Customer.of(await run(commands.update_customer, _one("id", id), changes))

    @strawberry.mutation
    async def delete_customer(self, info: Info, id: strawberry.ID) -> bool:
        info.context.require(Role.MANAGER)
        return await info.context.services.run(commands.erase_customer, _one("id", id))

    @strawberry.mutation
    async def merge_customers(
        self, info: Info, survivor_id: strawberry.ID, duplicate_id: strawberry.ID
    ) -> Customer:
        """Merge a duplicate card into the survivor, which keeps everything; cannot be undone."""
        info.context.require(Role.MANAGER)
        survivor, duplicate = _one("survivorId", survivor_id), _one("duplicateId", duplicate_id)
        run = info.context.services.run
        return Customer.of(await run(commands.merge_customers, survivor, duplicate))

    @strawberry.mutation
    async def create_segment(
        self, info: Info, name: str, filter: CustomerFilter | None = None
    ) -> Segment:
        """With a filter, a dynamic segment: it holds exactly the customers that match."""
        info.context.require(Role.MANAGER)
        wanted = filter.to_domain() if filter is not None else None
        return Segment.of(await info.context.services.run(commands.create_segment, name, wanted))

    @strawberry.mutation
    async def rename_segment(self, info: Info, id: strawberry.ID, name: str) -> Segment:
        info.context.require(Role.MANAGER)
        run = info.context.services.run
        return Segment.of(await run(commands.rename_segment, _one("id", id), name))

    @strawberry.mutation
    async def delete_segment(self, info: Info, id: strawberry.ID) -> bool:
        info.context.require(Role.MANAGER)
        return await info.context.services.run(commands.delete_segment, _one("id", id))

    @strawberry.mutation
    async def assign_segments(
        self, info: Info, customer_id: strawberry.ID, segment_ids: list[strawberry.ID]
    ) -> Customer:
        info.context.require(Role.MANAGER)
        customer, wanted = _one("customerId", customer_id), ids("segmentIds", segment_ids)
        run = info.context.services.run
        return Customer.of(await run(commands.assign_segments, customer, wanted))

    @strawberry.mutation
    async def unassign_segments(
        self, info: Info, customer_id: strawberry.ID, segment_ids: list[strawberry.ID]
    ) -> Customer:
        info.context.require(Role.MANAGER)
        customer, wanted = _one("customerId", customer_id), ids("segmentIds", segment_ids)
        run = info.context.services.run
        return Customer.of(await run(commands.unassign_segments, customer, wanted))

    @strawberry.mutation
    async def add_note(self, info: Info, customer_id: strawberry.ID, text: str) -> Note:
        author = info.context.require(Role.MANAGER).subject
        customer = _one("customerId", customer_id)
        return Note.of(await info.context.services.run(commands.add_note, customer, text, author))

    @strawberry.mutation
    async def update_note(self, info: Info, id: strawberry.ID, text: str) -> Note:
        info.context.require(Role.MANAGER)
        return Note.of(await info.context.services.run(commands.update_note, _one("id", id), text))

    @strawberry.mutation
    async def delete_note(self, info: Info, id: strawberry.ID) -> bool:
        info.context.require(Role.MANAGER)
        return await info.context.services.run(commands.delete_note, _one("id", id))


# The contract's Role enum names the staff roles tokens carry; this subgraph declares it.
RoleType = strawberry.enum(Role, name="Role")

schema = build_schema(query=Query, mutation=Mutation, types=(Customer, Segment, Job, RoleType))
