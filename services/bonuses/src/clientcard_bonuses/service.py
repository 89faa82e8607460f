"""The bonuses service: loyalty programs, bonus accounts with expiring lots, receipts' bonuses."""

from fastapi import FastAPI

from clientcard_bonuses.entrypoints.consumers import LEDGER
from clientcard_bonuses.entrypoints.graphql.context import services
from clientcard_bonuses.entrypoints.graphql.schema import schema
from clientcard_bonuses.entrypoints.http.internal import internal_router
from clientcard_bonuses.entrypoints.jobs import (
    BIRTHDAYS,
    EXPIRY,
    PENDING_RELEASE,
    RESERVATION_EXPIRY,
    TIERS,
)
from clientcard_bonuses.settings import BonusesSettings
from clientcard_kit.app import ServiceDefinition, create_service_app

SERVICE = ServiceDefinition(
    name="bonuses",
    settings=BonusesSettings,
    schema=schema,
    services=services,
    # Receipts come by the thousand: the ledger consumer applies each tenant's part of a
    # Kafka batch in one handler call (one message at a time only to isolate a failure).
    consumers=lambda runtime: (LEDGER,),
    jobs=(EXPIRY, RESERVATION_EXPIRY, PENDING_RELEASE, TIERS, BIRTHDAYS),
    routers=lambda runtime: (internal_router(runtime),),
    description="Loyalty programs, bonus accounts with expiring lots, bonuses of receipts.",
)


def create_app() -> FastAPI:
    return create_service_app(SERVICE)
