"""A stand-in event, so the kit is tested without depending on any service's events."""

import uuid
from typing import ClassVar

from pydantic import Field

from clientcard_contracts.events.base import Event


class VisitRecorded(Event):
    TYPE: ClassVar[str] = "kittests.visit.recorded.v1"
    TOPIC: ClassVar[str] = "kittests.v1"

    customer_id: str
    visit_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    note: str = "haircut"
