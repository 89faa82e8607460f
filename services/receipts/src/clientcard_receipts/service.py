"""The receipts service: POS receipts, sales and returns, purchase figures, POS API keys."""

from pathlib import Path

from fastapi import FastAPI

from clientcard_kit.app import ServiceDefinition, create_service_app
from clientcard_receipts.entrypoints.consumers import CUSTOMERS, consume_pos_receipts
from clientcard_receipts.entrypoints.graphql.context import services
from clientcard_receipts.entrypoints.graphql.schema import schema
from clientcard_receipts.entrypoints.http.pos import pos_router
from clientcard_receipts.entrypoints.http.pos_bonuses import pos_bonuses_router
from clientcard_receipts.entrypoints.jobs import CUSTOMER_WAIT
from clientcard_receipts.settings import ReceiptsSettings

SERVICE = ServiceDefinition(
    name="receipts",
    settings=ReceiptsSettings,
    schema=schema,
    migrations=Path(__file__).parent / "db" / "migrations",
    services=services,
    subscriptions=lambda runtime: (CUSTOMERS,),
    jobs=(consume_pos_receipts, CUSTOMER_WAIT),
    routers=lambda runtime: (pos_router(runtime), pos_bonuses_router(runtime)),
    description="Receipts from POS systems (Kafka and HTTP), purchase figures, POS API keys.",
)


def create_app() -> FastAPI:
    return create_service_app(SERVICE)
