"""The customers service: profiles, segments, notes and the client list."""

from fastapi import FastAPI

from clientcard_customers.entrypoints.consumers import FIGURES
from clientcard_customers.entrypoints.export_expiry import REMOVE_EXPIRED_EXPORTS
from clientcard_customers.entrypoints.graphql.context import services
from clientcard_customers.entrypoints.graphql.schema import schema
from clientcard_customers.entrypoints.http.exports import exports_router
from clientcard_customers.entrypoints.http.internal import internal_router
from clientcard_customers.entrypoints.jobs import (
    FOLD_AUDIENCE_COUNTS,
    RECHECK_DYNAMIC_SEGMENTS,
    RUN_JOBS,
)
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.app import ServiceDefinition, create_service_app

SERVICE = ServiceDefinition(
    name="customers",
    settings=CustomersSettings,
    schema=schema,
    services=services,
    # Figures come by the thousand: each tenant's part of a batch is applied at once.
    consumers=lambda runtime: (FIGURES,),
    jobs=(FOLD_AUDIENCE_COUNTS, RECHECK_DYNAMIC_SEGMENTS, RUN_JOBS, REMOVE_EXPIRED_EXPORTS),
    routers=lambda runtime: (internal_router(runtime), exports_router(runtime)),
    description="Customer profiles, registration, segments, notes and the client list.",
)


def create_app() -> FastAPI:
    return create_service_app(SERVICE)
