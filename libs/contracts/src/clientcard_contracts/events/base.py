"""What every event of the catalog has in common.

An event is a pydantic model of the CloudEvent's `data`. The class names its CloudEvents
`type` and its topic; the instance knows its Kafka key (the customer id, so that every
event about one customer stays in order on one partition) and its tenant.
"""

import uuid
from typing import ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


def field_title(name: str, _: object) -> str:
    """Titles such as "Average check" in exported schemas (pydantic would say "Averagecheck")."""
    return name.replace("_", " ").capitalize()


_WIRE = ConfigDict(
    alias_generator=to_camel,
    populate_by_name=True,
    extra="forbid",
    frozen=True,
    field_title_generator=field_title,
)


class Event(BaseModel):
    """Base of every event body. Field names are camelCase on the wire."""

    model_config = _WIRE

    TYPE: ClassVar[str]
    TOPIC: ClassVar[str]

    tenant_id: str = Field(min_length=1, max_length=64)

    def key(self) -> str:
        """The Kafka key; events about a customer are keyed by the customer id."""
        customer_id = getattr(self, "customer_id", None)
        if customer_id is None:
            raise NotImplementedError(f"{type(self).__name__} must define key()")
        return str(customer_id)

    def subject(self) -> str | None:
        """The CloudEvents `subject`: what the event is about, when that is one thing."""
        return None


class EventPart(BaseModel):
    """A nested object of an event body, spelled and checked like the event itself."""

    model_config = _WIRE


class CustomerEvent(Event):
    """An event about one customer: every event of the catalog is one."""

    customer_id: uuid.UUID
    occurred_at: AwareDatetime = Field(
        description="When the change happened at the producer (not when it was relayed)."
    )
