"""How events travel on Kafka: CloudEvents 1.0 in binary mode, and dead letters.

The attributes are headers, the body is the event's data as JSON. The kit's encoder and
consumer write these headers; this module names and explains them for the catalog's
documents.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Header:
    name: str
    description: str
    required: bool = True


SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"

CLOUDEVENT_HEADERS: tuple[Header, ...] = (
    Header("ce_specversion", 'The CloudEvents version, "1.0".'),
    Header("ce_id", "The event's unique id; consumers record it to apply an event only once."),
    Header("ce_source", "The service that published the event."),
    Header("ce_type", 'The event type, "<producing service>.<event>.v<version>".'),
    Header("ce_time", "When the event was written to the producer's outbox (RFC 3339)."),
    Header(
        "ce_subject",
        "What the event is about when that is one thing: the customer, receipt, bonus "
        "operation, message or NPS response id.",
        required=False,
    ),
    Header("ce_tenantid", "The tenant (merchant account); the body's tenantId is the same."),
    Header("content-type", f'"{CONTENT_TYPE}": the body is the event data as JSON.'),
)

DEAD_LETTER_HEADERS: tuple[Header, ...] = (
    Header("dlq_reason", "Why the message cannot be processed, e.g. every validation error."),
    Header("dlq_source_topic", "The topic the message was read from."),
    Header("dlq_source_partition", "Its partition there."),
    Header("dlq_source_offset", "Its offset there."),
    Header("dlq_consumer", 'The consumer that gave up on it, "<service>/<consumer>".'),
    Header("dlq_failed_at", "When it was dead-lettered (RFC 3339)."),
)
