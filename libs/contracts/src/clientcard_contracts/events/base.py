"""What every event of the catalog has in common.

An event is a pydantic model of the CloudEvent's `data`. The class names its CloudEvents
`type` and its topic; the instance knows its Kafka key (the customer id, so that every
event about one customer stays in order on one partition) and its tenant.
"""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class Event(BaseModel):
    """Base of every event body. Field names are camelCase on the wire."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True
    )

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
