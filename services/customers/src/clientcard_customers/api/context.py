"""What the customers resolvers find in `info.context.services` for one request."""

from dataclasses import dataclass

import strawberry

from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_kit.auth import Principal
from clientcard_kit.graphql import RequestContext
from clientcard_kit.graphql.errors import Unauthenticated
from clientcard_kit.runtime import ServiceRuntime


@dataclass(frozen=True, slots=True)
class CustomerServices:
    runtime: ServiceRuntime
    principal: Principal | None

    def uow(self) -> CustomersUnitOfWork:
        """A unit of work scoped to the caller's tenant."""
        if self.principal is None:
            raise Unauthenticated("authentication required")
        return CustomersUnitOfWork.for_tenant(
            self.runtime.db, tenant=self.principal.tenant, source="/clientcard/customers"
        )


def services(runtime: ServiceRuntime, principal: Principal | None) -> CustomerServices:
    return CustomerServices(runtime, principal)


Info = strawberry.Info[RequestContext[CustomerServices], None]
