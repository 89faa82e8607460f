"""What the messaging service knows of subscriptions, messages, mailings and NPS answers."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from clientcard_contracts.enums import (
    BroadcastStatus,
    Channel,
    DeliveryStatus,
    MessageDirection,
    MessageKind,
    MessengerStatus,
)


@dataclass(frozen=True, slots=True)
class Subscription:
    channel: Channel
    # The chat id or phone on the channel; None once unsubscribed (the address is removed).
    address: str | None
    status: MessengerStatus
    is_default: bool
    subscribed_at: datetime
    last_contact_at: datetime | None = None
    messages_delivered: int = 0

    @property
    def active(self) -> bool:
        return self.status is MessengerStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class Message:
    id: uuid.UUID
    customer_id: uuid.UUID
    channel: Channel
    direction: MessageDirection
    kind: MessageKind
    text: str
    status: DeliveryStatus
    created_at: datetime
    sent_at: datetime | None = None
    broadcast_id: uuid.UUID | None = None
    failure_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Broadcast:
    id: uuid.UUID
    name: str
    text: str
    segment_ids: tuple[uuid.UUID, ...]
    channel: Channel | None
    status: BroadcastStatus
    scheduled_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class BroadcastStats:
    recipients: int = 0
    sent: int = 0
    delivered: int = 0
    read: int = 0
    failed: int = 0
    replied: int = 0
    # Members with no active subscription on any channel: nothing was sent to them.
    unreachable: int = 0
    # Members whose channel is not configured for the merchant: skipped.
    not_configured: int = 0


@dataclass(frozen=True, slots=True)
class NpsResponse:
    id: uuid.UUID
    customer_id: uuid.UUID
    score: int
    comment: str | None
    responded_at: datetime
    receipt_id: uuid.UUID | None
