"""The messaging part of the contract's inputs, and how each becomes a domain value."""

import uuid
from datetime import datetime

import strawberry

from clientcard_contracts.enums import Channel
from clientcard_messaging.domain import messages
from clientcard_messaging.domain.errors import InvalidInput
from clientcard_messaging.entrypoints.graphql.types import ChannelType


@strawberry.input
class BroadcastInput:
    name: str
    text: str
    segment_ids: list[strawberry.ID]
    channel: ChannelType | None = strawberry.UNSET  # type: ignore[valid-type]
    scheduled_at: datetime | None = None

    def to_domain(self, now: datetime) -> messages.NewBroadcast:
        return messages.new_broadcast(
            name=self.name,
            message=self.text,
            segment_ids=ids("input.segmentIds", self.segment_ids),
            channel=Channel(self.channel) if self.channel else None,
            scheduled_at=self.scheduled_at,
            now=now,
        )


def ids(field: str, values: list[strawberry.ID]) -> list[uuid.UUID]:
    parsed = []
    for value in values:
        try:
            parsed.append(uuid.UUID(str(value)))
        except ValueError:
            raise InvalidInput(field, f"{value!r} is not an id") from None
    return parsed


def one(field: str, value: strawberry.ID) -> uuid.UUID:
    return ids(field, [value])[0]
