"""What the customers resolvers find in `info.context.services` for one request."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

import strawberry

from clientcard_customers.db.unit_of_work import SOURCE, CustomersUnitOfWork
from clientcard_kit.auth import Principal
from clientcard_kit.graphql import RequestContext
from clientcard_kit.graphql.errors import Unauthenticated
from clientcard_kit.runtime import ServiceRuntime

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CustomerServices:
    runtime: ServiceRuntime
    principal: Principal | None

    def uow(self) -> CustomersUnitOfWork:
        """A unit of work scoped to the caller's tenant."""
        if self.principal is None:
            raise Unauthenticated("authentication required")
        return CustomersUnitOfWork.for_tenant(
            self.runtime.db, tenant=self.principal.tenant, source=SOURCE
        )

    async def run(
        self,
        command: "Callable[Concatenate[CustomersUnitOfWork, P], Awaitable[T]]",
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run one command of `clientcard_customers.commands` in its own unit of work."""
        async with self.uow() as uow:
            return await command(uow, *args, **kwargs)


def services(runtime: ServiceRuntime, principal: Principal | None) -> CustomerServices:
    return CustomerServices(runtime, principal)


Info = strawberry.Info[RequestContext[CustomerServices], None]
