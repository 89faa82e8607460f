"""A small subgraph built the way the services build theirs, for the kit's tests."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import strawberry
from strawberry.federation import Schema

from clientcard_kit.auth import Principal, Role
from clientcard_kit.graphql import (
    Connection,
    NotFound,
    RequestContext,
    build_schema,
    in_key_order,
    page_request,
)

SECRET_IN_EXCEPTION = "password=hunter2 host=db.internal"


@dataclass
class CustomerRecord:
    id: str
    name: str
    balance: Decimal


@dataclass
class ToyServices:
    """What a service's `services` slot would hold: here, an in-memory store that records
    how it is called, so that tests can count batches and count queries."""

    principal: Principal | None
    customers: dict[str, CustomerRecord]
    batches: list[list[str]] = field(default_factory=list)
    counts: int = 0

    async def customers_by_ids(self, ids: list[str]) -> Sequence[CustomerRecord | None]:
        self.batches.append(list(ids))
        return in_key_order(ids, self.customers.values(), key=lambda record: record.id)

    async def customers_after(self, after: str | None, limit: int) -> list[CustomerRecord]:
        ordered = sorted(self.customers.values(), key=lambda record: record.id)
        return [record for record in ordered if after is None or record.id > after][:limit]

    async def count_customers(self) -> int:
        self.counts += 1
        return len(self.customers)


Info = strawberry.Info[RequestContext[ToyServices], None]


@strawberry.federation.type(keys=["id"])
class Customer:
    id: strawberry.ID
    name: str
    balance: Decimal

    @strawberry.field
    def same(self) -> "Customer":
        """Itself again: lets tests nest a query as deep as they like."""
        return self

    @classmethod
    def of(cls, record: CustomerRecord) -> "Customer":
        return cls(id=strawberry.ID(record.id), name=record.name, balance=record.balance)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Customer | None":
        services = info.context.services
        record = await info.context.loader("customer", services.customers_by_ids).load(id)
        return None if record is None else cls.of(record)


@strawberry.type
class Query:
    @strawberry.field
    async def customer(self, info: Info, id: strawberry.ID) -> Customer | None:
        info.context.require(Role.VIEWER)
        return await Customer.resolve_reference(info, id)

    @strawberry.field
    async def customers(
        self, info: Info, first: int | None = 2, after: str | None = None
    ) -> Connection[Customer]:
        services = info.context.services
        page = page_request(first, after, default=2, key=(str,))
        rows = await services.customers_after(
            None if page.after is None else page.after[0], page.limit
        )
        return page.connection(
            rows, node=Customer.of, key=lambda row: (row.id,), total=services.count_customers
        )

    @strawberry.field
    def amount(self, value: Decimal) -> Decimal:
        return value

    @strawberry.field
    def moment(self, value: datetime) -> datetime:
        return value

    @strawberry.field
    def day(self, value: date) -> date:
        return value

    @strawberry.field
    def quantity(self) -> Decimal:
        return Decimal("0.345")

    @strawberry.field
    def broken(self) -> str:
        raise RuntimeError(f"could not connect: {SECRET_IN_EXCEPTION}")

    @strawberry.field
    def missing(self, id: strawberry.ID) -> Customer:
        raise NotFound(f"customer {id} not found")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def rename_customer(self, info: Info, id: strawberry.ID, name: str) -> Customer:
        info.context.require(Role.MANAGER)
        record = info.context.services.customers.get(id)
        if record is None:
            raise NotFound(f"customer {id} not found")
        record.name = name
        return Customer.of(record)


def toy_schema() -> Schema:
    return build_schema(query=Query, mutation=Mutation)
