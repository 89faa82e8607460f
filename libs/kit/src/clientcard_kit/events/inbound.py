"""What a consumer hands its handlers, and how catalog events are read off Kafka."""

from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts.catalog import EVENT_TYPES
from clientcard_contracts.events.base import Event
from clientcard_kit.events import cloudevents
from clientcard_kit.events.cloudevents import InvalidMessage
from clientcard_kit.observability.tracing import TRACEPARENT


class Record(Protocol):
    """The parts of a Kafka record a consumer uses (aiokafka's ConsumerRecord has them)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Any


@dataclass(frozen=True, slots=True)
class InboundMessage:
    event_id: str
    event_type: str
    tenant_id: str
    payload: BaseModel
    # The W3C trace context of the change that published the event, when it had one.
    traceparent: str | None = None


Decoder = Callable[[Record], InboundMessage | None]
"""Reads a record; None means 'not for this consumer'; InvalidMessage means dead letter."""

Handler = Callable[[AsyncSession, InboundMessage], Awaitable[None]]
"""Applies a message inside the consumer's tenant-scoped transaction."""


def cloudevent_decoder(models: Mapping[str, type[Event]]) -> Decoder:
    """Decode CloudEvents of the given types into their pydantic models; skip the rest."""

    def decode(record: Record) -> InboundMessage | None:
        event = cloudevents.decode(record.headers or (), record.value)
        model = models.get(event.type)
        if model is None:
            return None
        try:
            payload = model.model_validate(dict(event.data))
        except ValidationError as exc:
            raise InvalidMessage(
                f"{event.type} does not match its schema: {describe(exc)}"
            ) from exc
        return InboundMessage(
            event_id=event.id,
            event_type=event.type,
            tenant_id=event.tenant_id,
            payload=payload,
            traceparent=event.extensions.get(TRACEPARENT),
        )

    return decode


def catalog_decoder(event_types: Collection[str]) -> Decoder:
    """Decode the catalog's events of the given types."""
    unknown = set(event_types) - set(EVENT_TYPES)
    if unknown:
        raise ValueError(f"not in the event catalog: {', '.join(sorted(unknown))}")
    return cloudevent_decoder({event_type: EVENT_TYPES[event_type] for event_type in event_types})


def describe(error: ValidationError) -> str:
    """A one-line account of every validation problem, for dead-letter reasons and logs."""
    return "; ".join(
        f"{'.'.join(str(part) for part in problem['loc']) or '(body)'}: {problem['msg']}"
        for problem in error.errors()
    )
