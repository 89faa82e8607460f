"""What the receipts resolvers find in `info.context.services` for one request (see
`clientcard_kit.tenant_services`)."""

import strawberry

from clientcard_kit.graphql import RequestContext
from clientcard_kit.tenant_services import TenantServices, request_services
from clientcard_receipts.db.unit_of_work import SOURCE, ReceiptsUnitOfWork

services = request_services(ReceiptsUnitOfWork, SOURCE)

Info = strawberry.Info[RequestContext[TenantServices[ReceiptsUnitOfWork]], None]
