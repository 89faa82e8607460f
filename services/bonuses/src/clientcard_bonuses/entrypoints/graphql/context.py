"""What the bonuses resolvers find in `info.context.services` for one request (see
`clientcard_kit.tenant_services`)."""

import strawberry

from clientcard_bonuses.db.unit_of_work import SOURCE, BonusesUnitOfWork
from clientcard_kit.graphql import RequestContext
from clientcard_kit.tenant_services import TenantServices, request_services

services = request_services(
    BonusesUnitOfWork,
    SOURCE,
    knows_customer=lambda uow, customer: uow.accounts.exists(customer),
)

Info = strawberry.Info[RequestContext[TenantServices[BonusesUnitOfWork]], None]
