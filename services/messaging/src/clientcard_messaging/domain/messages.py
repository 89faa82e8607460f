"""The rules of writing to customers: message texts, mailings, and retrying a send."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from clientcard_contracts.enums import Channel
from clientcard_messaging.domain.errors import InvalidInput

# Telegram's limit for one message, the strictest of the channels.
MAX_TEXT = 4096
MAX_BROADCAST_NAME = 200
# A mailing "scheduled" a little in the past (clock skew, a slow form) is sent at once.
SCHEDULE_TOLERANCE = timedelta(minutes=5)


def text(value: str, field: str = "text") -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInput(field, "the text is empty")
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(field, f"the text is longer than {MAX_TEXT} characters")
    return cleaned


@dataclass(frozen=True, slots=True)
class NewBroadcast:
    name: str
    text: str
    segment_ids: tuple[uuid.UUID, ...]
    channel: Channel | None
    scheduled_at: datetime | None


def new_broadcast(
    *,
    name: str,
    message: str,
    segment_ids: Sequence[uuid.UUID],
    channel: Channel | None,
    scheduled_at: datetime | None,
    now: datetime,
) -> NewBroadcast:
    cleaned_name = name.strip()
    if not cleaned_name:
        raise InvalidInput("input.name", "the name is empty")
    if len(cleaned_name) > MAX_BROADCAST_NAME:
        raise InvalidInput("input.name", f"the name is longer than {MAX_BROADCAST_NAME}")
    if not segment_ids:
        raise InvalidInput("input.segmentIds", "name at least one segment")
    if scheduled_at is not None and scheduled_at < now - SCHEDULE_TOLERANCE:
        raise InvalidInput("input.scheduledAt", "the time is in the past")
    return NewBroadcast(
        name=cleaned_name,
        text=text(message, "input.text"),
        segment_ids=tuple(dict.fromkeys(segment_ids)),
        channel=channel,
        scheduled_at=scheduled_at if scheduled_at and scheduled_at > now else None,
    )


def retry_delay(
    attempt: int, *, base: float, ceiling: float, asked: float | None = None
) -> timedelta:
    """How long to wait before the next attempt: what the provider asked, else doubling."""
    seconds = asked if asked is not None else base * 2 ** max(attempt - 1, 0)
    return timedelta(seconds=min(max(seconds, 0.0), ceiling))
