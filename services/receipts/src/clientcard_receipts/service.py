"""The receipts service: POS receipts, sales and returns, purchase figures, POS API keys."""

from fastapi import FastAPI

from clientcard_kit.app import ServiceDefinition, create_service_app
from clientcard_receipts.entrypoints.consumers import CUSTOMERS, LEDGER, pos_receipts_consumer
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
    services=services,
    # POS receipts come by the thousand: each tenant's part of a batch is stored at once,
    # its customers confirmed by the customers service when this one does not know them.
    consumers=lambda runtime: (CUSTOMERS, LEDGER, pos_receipts_consumer(runtime.customers)),
    jobs=(CUSTOMER_WAIT,),
    routers=lambda runtime: (pos_router(runtime), pos_bonuses_router(runtime)),
    description="Receipts from POS systems (Kafka and HTTP), purchase figures, POS API keys.",
)


def create_app() -> FastAPI:
    return create_service_app(SERVICE)
