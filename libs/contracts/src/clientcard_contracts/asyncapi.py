"""The AsyncAPI 3.0 document of the platform's Kafka traffic (docs/events/asyncapi.yaml).

Channels are topics, messages are the catalog's event types, and operations say which
service sends and which receives what: the same facts the catalog holds, in the form
the ecosystem's tools read.
"""

import inspect
from collections.abc import Iterable
from typing import Any

from clientcard_contracts import topics
from clientcard_contracts.catalog import ENTRIES, CatalogEntry
from clientcard_contracts.envelope import (
    CLOUDEVENT_HEADERS,
    CONTENT_TYPE,
    DEAD_LETTER_HEADERS,
    SPEC_VERSION,
    Header,
)
from clientcard_contracts.schemas import POS_RECEIPT_ID

KAFKA_BINDING = "0.5.0"
DEVELOPMENT_BROKER = "localhost:19092"
POS_SYSTEMS = "pos"

_TOPIC_PURPOSE = {
    topics.CUSTOMERS: "Changes of customers: registration, profile, segments, erasure.",
    topics.RECEIPTS: "Receipts stored by the receipts service, with the purchase figures.",
    topics.BONUSES: "Bonus ledger operations and what each receipt did to the bonuses.",
    topics.MESSAGING: "Messenger subscriptions, delivered messages and NPS answers.",
    topics.POS_RECEIPTS: "Receipts published by POS systems, as pos-receipt.v1 documents.",
    topics.POS_RECEIPTS_DLQ: "POS messages the receipts service refused, with the reason.",
}
_PARTITIONS = {spec.name: spec.partitions for spec in topics.TOPICS}
_CUSTOMER_KEY: dict[str, Any] = {
    "type": "string",
    "format": "uuid",
    "description": "The customer id.",
}


def asyncapi_document() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for service in topics.SERVICES:
        entries = [entry for entry in ENTRIES if entry.producer == service]
        topic = entries[0].topic
        names = [entry.model.__name__ for entry in entries]
        channels[service] = _channel(topic, names)
        messages.update({entry.model.__name__: _event_message(entry) for entry in entries})
        operations[f"{service}.sends.{topic}"] = _operation("send", service, names, service)
        for consumer in topics.SERVICES:
            consumed = [entry.model.__name__ for entry in entries if consumer in entry.consumers]
            if consumed:
                receive = _operation("receive", service, consumed, consumer)
                operations[f"{consumer}.receives.{topic}"] = receive
    _add_pos_channels(channels, operations, messages)
    _add_dead_letter_channels(channels, operations)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "clientcard events",
            "version": "1.0.0",
            "description": _DESCRIPTION,
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "development": {
                "host": DEVELOPMENT_BROKER,
                "protocol": "kafka",
                "description": "The single-node broker that `make up` starts.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": {
                "CloudEventHeaders": _headers_schema(CLOUDEVENT_HEADERS, SPEC_VERSION),
                "DeadLetterHeaders": _headers_schema(DEAD_LETTER_HEADERS),
            },
            "messages": {**messages, "DeadLetter": _DEAD_LETTER_MESSAGE},
        },
    }


_DESCRIPTION = (
    "Every change in the four services (customers, bonuses, messaging, receipts) is "
    "published as a CloudEvents 1.0 event in Kafka binary mode: the attributes in `ce_*` "
    "headers, the event data as the JSON body. Topics are per producing service, keys are "
    "customer ids so that the events of one customer stay in order on one partition. "
    "See docs/events/README.md for the conventions."
)


def _channel(topic: str, message_names: Iterable[str], description: str = "") -> dict[str, Any]:
    return {
        "address": topic,
        "description": description or _TOPIC_PURPOSE[topic],
        "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in message_names},
        "bindings": {
            "kafka": {
                "topic": topic,
                "partitions": _PARTITIONS[topic],
                "bindingVersion": KAFKA_BINDING,
            }
        },
    }


def _operation(action: str, channel: str, message_names: Iterable[str], who: str) -> dict[str, Any]:
    actor = "POS systems" if who == POS_SYSTEMS else f"the {who} service"
    done = "Published" if action == "send" else "Consumed"
    return {
        "action": action,
        "summary": f"{done} by {actor}.",
        "channel": {"$ref": f"#/channels/{channel}"},
        "messages": [{"$ref": f"#/channels/{channel}/messages/{name}"} for name in message_names],
    }


def _event_message(entry: CatalogEntry) -> dict[str, Any]:
    model = entry.model
    summary, _, description = inspect.cleandoc(model.__doc__ or model.TYPE).partition("\n\n")
    consumers = ", ".join(entry.consumers) or "no service yet"
    return {
        "name": model.TYPE,
        "title": model.__name__,
        "summary": " ".join(summary.split()),
        "description": f"{' '.join(description.split())}\n\nProduced by {entry.producer}; "
        f"consumed by {consumers}.".strip(),
        "contentType": CONTENT_TYPE,
        "headers": {
            "type": "object",
            "allOf": [
                {"$ref": "#/components/schemas/CloudEventHeaders"},
                {"properties": {"ce_type": {"const": model.TYPE}}},
            ],
        },
        "payload": {"$ref": f"./schemas/{model.TYPE}.json"},
        "bindings": {"kafka": {"key": _CUSTOMER_KEY, "bindingVersion": KAFKA_BINDING}},
    }


def _add_pos_channels(
    channels: dict[str, Any], operations: dict[str, Any], messages: dict[str, Any]
) -> None:
    channels["posReceipts"] = _channel(topics.POS_RECEIPTS, ["PosReceipt"])
    messages["PosReceipt"] = {
        "name": POS_RECEIPT_ID,
        "title": "PosReceipt",
        "summary": "A receipt published by a POS system; not a CloudEvent, a plain JSON body.",
        "description": "Deduplicated on (tenantId, posId, number). A message that breaks the "
        "schema or the receipt rules goes to pos.receipts.dlq.v1 with the reason.",
        "contentType": CONTENT_TYPE,
        "payload": {"$ref": f"./schemas/{POS_RECEIPT_ID}.json"},
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "The customer id or phone, else posId."},
                "bindingVersion": KAFKA_BINDING,
            }
        },
    }
    operations[f"{POS_SYSTEMS}.sends.{topics.POS_RECEIPTS}"] = _operation(
        "send", "posReceipts", ["PosReceipt"], POS_SYSTEMS
    )
    operations[f"receipts.receives.{topics.POS_RECEIPTS}"] = _operation(
        "receive", "posReceipts", ["PosReceipt"], "receipts"
    )


def _add_dead_letter_channels(channels: dict[str, Any], operations: dict[str, Any]) -> None:
    dead_letters = [("posReceiptsDeadLetters", topics.POS_RECEIPTS_DLQ, "receipts")]
    dead_letters += [
        (f"{service}DeadLetters", topics.dead_letter_topic(service), service)
        for service in topics.SERVICES
    ]
    for channel, topic, service in dead_letters:
        purpose = _TOPIC_PURPOSE.get(topic) or (
            f"Events the {service} service's consumers could not process, with the reason."
        )
        channels[channel] = _channel(topic, ["DeadLetter"], purpose)
        operations[f"{service}.sends.{topic}"] = _operation(
            "send", channel, ["DeadLetter"], service
        )


_DEAD_LETTER_MESSAGE: dict[str, Any] = {
    "name": "dead-letter",
    "title": "DeadLetter",
    "summary": "A message a consumer could not process, kept with the reason.",
    "description": "Key and body are the original message's, unchanged; so are its "
    "headers, to which the dlq_* headers are added.",
    "headers": {"$ref": "#/components/schemas/DeadLetterHeaders"},
    "payload": {"description": "The original message body, byte for byte."},
}


def _headers_schema(headers: Iterable[Header], spec_version: str | None = None) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for header in headers:
        properties[header.name] = {"type": "string", "description": header.description}
    if spec_version is not None:
        properties["ce_specversion"]["const"] = spec_version
        properties["content-type"]["const"] = CONTENT_TYPE
    return {
        "type": "object",
        "properties": properties,
        "required": [header.name for header in headers if header.required],
    }
