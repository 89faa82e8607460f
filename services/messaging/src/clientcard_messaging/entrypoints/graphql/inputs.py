"""The messaging part of the contract's inputs, and how each becomes a domain value."""

import uuid
from datetime import datetime

import strawberry

from clientcard_contracts.enums import Channel
from clientcard_kit.graphql.enums import ChannelType
from clientcard_kit.graphql.ids import argument_ids
from clientcard_messaging.domain import messages


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
    return argument_ids(values, field)


def one(field: str, value: strawberry.ID) -> uuid.UUID:
    return ids(field, [value])[0]
