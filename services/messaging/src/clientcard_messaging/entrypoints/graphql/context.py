"""What the messaging resolvers find in `info.context.services` for one request (see
`clientcard_kit.tenant_services`)."""

import strawberry

from clientcard_kit.graphql import RequestContext
from clientcard_kit.tenant_services import TenantServices, request_services
from clientcard_messaging.db.unit_of_work import SOURCE, MessagingUnitOfWork

services = request_services(
    MessagingUnitOfWork,
    SOURCE,
    knows_customer=lambda uow, customer: uow.customers.knows(customer),
)

Info = strawberry.Info[RequestContext[TenantServices[MessagingUnitOfWork]], None]
