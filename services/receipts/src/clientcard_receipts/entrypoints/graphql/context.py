"""What the receipts resolvers find in `info.context.services` for one request."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

import strawberry

from clientcard_kit.auth import Principal
from clientcard_kit.graphql import RequestContext
from clientcard_kit.graphql.errors import Unauthenticated
from clientcard_kit.runtime import ServiceRuntime
from clientcard_receipts.db.unit_of_work import SOURCE, ReceiptsUnitOfWork

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ReceiptServices:
    runtime: ServiceRuntime
    principal: Principal | None

    def uow(self) -> ReceiptsUnitOfWork:
        """A unit of work scoped to the caller's tenant."""
        if self.principal is None:
            raise Unauthenticated("authentication required")
        return ReceiptsUnitOfWork.for_tenant(
            self.runtime.db, tenant=self.principal.tenant, source=SOURCE
        )

    async def run(
        self,
        command: "Callable[Concatenate[ReceiptsUnitOfWork, P], Awaitable[T]]",
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run one command of `clientcard_receipts.commands` in its own unit of work."""
        async with self.uow() as uow:
            return await command(uow, *args, **kwargs)


def services(runtime: ServiceRuntime, principal: Principal | None) -> ReceiptServices:
    return ReceiptServices(runtime, principal)


Info = strawberry.Info[RequestContext[ReceiptServices], None]
