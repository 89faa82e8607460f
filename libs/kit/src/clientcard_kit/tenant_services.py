"""What a service's resolvers find in `info.context.services` for one request.

Units of work scoped to the caller's tenant, a command run in one, the check that an id
names a customer, and the request's loaders. A service wires it with its own unit of work:

    services = request_services(BonusesUnitOfWork, SOURCE, knows_customer=...)
    Info = strawberry.Info[RequestContext[TenantServices[BonusesUnitOfWork]], None]
"""

import uuid
from collections.abc import Awaitable, Callable, Hashable, Mapping
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, cast

from clientcard_kit.auth import Principal
from clientcard_kit.graphql.dataloaders import unit_of_work_loader
from clientcard_kit.graphql.errors import Unauthenticated
from clientcard_kit.runtime import ServiceRuntime
from clientcard_kit.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    import strawberry
    from strawberry.dataloader import DataLoader

    from clientcard_kit.graphql.context import RequestContext

U = TypeVar("U", bound=UnitOfWork)
P = ParamSpec("P")
T = TypeVar("T")
V = TypeVar("V")
KnowsCustomer = Callable[[U, uuid.UUID], Awaitable[bool]]


class TenantServices(Generic[U]):
    __slots__ = ("_knows_customer", "_source", "_unit_of_work", "principal", "runtime")

    def __init__(
        self,
        runtime: ServiceRuntime,
        principal: Principal | None,
        unit_of_work: type[U],
        source: str,
        knows_customer: KnowsCustomer[U] | None = None,
    ) -> None:
        self.runtime = runtime
        self.principal = principal
        self._unit_of_work = unit_of_work
        self._source = source
        self._knows_customer = knows_customer

    @property
    def tenant(self) -> str:
        if self.principal is None:
            raise Unauthenticated("authentication required")
        return self.principal.tenant

    def uow(self) -> U:
        """A unit of work scoped to the caller's tenant."""
        return self._unit_of_work.for_tenant(
            self.runtime.db, tenant=self.tenant, source=self._source
        )

    def reader(self) -> U:
        """A unit of work that only reads the caller's tenant's rows, outside a
        transaction (what the request's loaders share)."""
        return self._unit_of_work.reading(self.runtime.db, tenant=self.tenant, source=self._source)

    async def run(
        self,
        command: Callable[Concatenate[U, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run one of the service's commands in its own unit of work."""
        async with self.uow() as uow:
            return await command(uow, *args, **kwargs)

    async def require_customer(self, customer_id: uuid.UUID) -> None:
        """NOT_FOUND for an id that is no customer's, before anything is written.

        A customer registered a moment ago, whose registration has not reached this
        service yet, is confirmed by the customers service itself.
        """
        knows_customer = self._knows_customer
        if knows_customer is None:
            raise RuntimeError("this service keeps no customers of its own to check")

        async def known_here() -> bool:
            async with self.uow() as uow:
                return await knows_customer(uow, customer_id)

        await self.runtime.customers.require(self.tenant, customer_id, known_here)


def request_services(
    unit_of_work: type[U], source: str, knows_customer: KnowsCustomer[U] | None = None
) -> Callable[[ServiceRuntime, Principal | None], TenantServices[U]]:
    """The `services` of a ServiceDefinition: a TenantServices for each request."""

    def services(runtime: ServiceRuntime, principal: Principal | None) -> TenantServices[U]:
        return TenantServices(runtime, principal, unit_of_work, source, knows_customer)

    return services


def tenant_loader(
    info: "strawberry.Info[RequestContext[TenantServices[U]], Any]",
    name: Hashable,
    batch: Callable[[U, list[uuid.UUID]], Awaitable[Mapping[uuid.UUID, V]]],
    default: V,
) -> "DataLoader[uuid.UUID, V]":
    """The request's loader `name`, reading in the request's unit of work (see
    `unit_of_work_loader`): one `batch` call for every id asked for at once."""
    services = info.context.services

    def open_uow() -> AbstractAsyncContextManager[U]:
        # A UnitOfWork enters as itself; mypy cannot see that through the type variable.
        return cast(AbstractAsyncContextManager[U], services.reader())

    return unit_of_work_loader(info.context, name, open_uow, batch, default)
