"""What the messaging resolvers find in `info.context.services` for one request."""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

import strawberry

from clientcard_kit.auth import Principal
from clientcard_kit.graphql import RequestContext
from clientcard_kit.graphql.errors import Unauthenticated
from clientcard_kit.runtime import ServiceRuntime
from clientcard_messaging.db.unit_of_work import SOURCE, MessagingUnitOfWork

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class MessagingServices:
    runtime: ServiceRuntime
    principal: Principal | None

    def uow(self) -> MessagingUnitOfWork:
        """A unit of work scoped to the caller's tenant."""
        if self.principal is None:
            raise Unauthenticated("authentication required")
        return MessagingUnitOfWork.for_tenant(
            self.runtime.db, tenant=self.principal.tenant, source=SOURCE
        )

    async def run(
        self,
        command: "Callable[Concatenate[MessagingUnitOfWork, P], Awaitable[T]]",
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run one command of `clientcard_messaging.commands` in its own unit of work."""
        async with self.uow() as uow:
            return await command(uow, *args, **kwargs)

    async def require_customer(self, customer_id: uuid.UUID) -> None:
        """NOT_FOUND for an id that is no customer's, before anything is written.

        A customer registered a moment ago, whose registration has not reached this
        service yet, is confirmed by the customers service itself.
        """

        async def known_here() -> bool:
            async with self.uow() as uow:
                return await uow.customers.knows(customer_id)

        if self.principal is None:
            raise Unauthenticated("authentication required")
        await self.runtime.customers.require(self.principal.tenant, customer_id, known_here)


def services(runtime: ServiceRuntime, principal: Principal | None) -> MessagingServices:
    return MessagingServices(runtime, principal)


Info = strawberry.Info[RequestContext[MessagingServices], None]
