"""What the customers resolvers find in `info.context.services` for one request (see
`clientcard_kit.tenant_services`)."""

import strawberry

from clientcard_customers.db.unit_of_work import SOURCE, CustomersUnitOfWork
from clientcard_kit.graphql import RequestContext
from clientcard_kit.tenant_services import TenantServices, request_services

services = request_services(CustomersUnitOfWork, SOURCE)

Info = strawberry.Info[RequestContext[TenantServices[CustomersUnitOfWork]], None]
