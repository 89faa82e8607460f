"""JSON Schemas of the catalog, as published in docs/events/schemas."""

from typing import Any

from clientcard_contracts.events.base import Event
from clientcard_contracts.pos import PosReceipt

DIALECT = "https://json-schema.org/draft/2020-12/schema"
POS_RECEIPT_ID = "pos-receipt.v1"
GENERATED = "Generated from the clientcard_contracts models; do not edit."


def event_schema(model: type[Event]) -> dict[str, Any]:
    """The schema of an event's data (the Kafka message body), named by its CloudEvents type."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": DIALECT, "$id": model.TYPE, "$comment": GENERATED, **schema}


def pos_receipt_schema() -> dict[str, Any]:
    schema = PosReceipt.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": DIALECT, "$id": POS_RECEIPT_ID, "$comment": GENERATED, **schema}
