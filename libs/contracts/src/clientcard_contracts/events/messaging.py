"""Events of the messaging service, on topic `messaging.v1`.

Every messenger event carries the customer's whole messenger picture after the change
(`messengers`), so the customers read model takes the status and default channel from
whichever of them is the newest, without replaying the history of subscriptions.
"""

import uuid
from typing import ClassVar

from pydantic import AwareDatetime, Field

from clientcard_contracts import topics
from clientcard_contracts.enums import Channel, MessageKind, MessengerStatus, UnsubscribeReason
from clientcard_contracts.events.base import CustomerEvent, EventPart
from clientcard_contracts.events.merging import CustomerMergeApplied


class ChannelSubscription(EventPart):
    channel: Channel
    status: MessengerStatus
    is_default: bool


class Messengers(EventPart):
    """A customer's messengers after the change.

    `status` is ACTIVE while any subscription is active, INACTIVE when all are inactive,
    and null with no subscription at all. `version` grows by one with every change of the
    customer's subscriptions, so a consumer keeps the picture with the highest.
    """

    version: int = Field(ge=1)
    status: MessengerStatus | None
    default_channel: Channel | None
    subscriptions: tuple[ChannelSubscription, ...]


class _MessengerEvent(CustomerEvent):
    TOPIC: ClassVar[str] = topics.MESSAGING

    def subject(self) -> str:
        return str(self.customer_id)


class MessengerSubscribed(_MessengerEvent):
    """A messenger was linked to the customer (by the bot, or by hand in the back office)."""

    TYPE: ClassVar[str] = "messaging.messenger.subscribed.v1"

    channel: Channel
    subscribed_at: AwareDatetime
    messengers: Messengers


class MessengerUnsubscribed(_MessengerEvent):
    """A messenger subscription became inactive: nothing more is sent on that channel."""

    TYPE: ClassVar[str] = "messaging.messenger.unsubscribed.v1"

    channel: Channel
    reason: UnsubscribeReason
    messengers: Messengers


class MessengerDefaultChanged(_MessengerEvent):
    """Another channel became the one the customer is written to by default."""

    TYPE: ClassVar[str] = "messaging.messenger.default.changed.v1"

    default_channel: Channel | None = Field(description="Null when no channel is active.")
    previous_channel: Channel | None = None
    messengers: Messengers


class MessageDelivered(CustomerEvent):
    """A message reached the customer (the provider confirmed delivery)."""

    TYPE: ClassVar[str] = "messaging.message.delivered.v1"
    TOPIC: ClassVar[str] = topics.MESSAGING

    message_id: uuid.UUID
    channel: Channel
    kind: MessageKind
    broadcast_id: uuid.UUID | None = Field(default=None, description="Kind BROADCAST only.")
    sent_at: AwareDatetime
    delivered_at: AwareDatetime
    messages_delivered: int = Field(ge=1, description="Delivered on this channel so far.")

    def subject(self) -> str:
        return str(self.message_id)


class NpsSubmitted(CustomerEvent):
    """The customer answered an NPS survey with a score from 0 to 10.

    Customers keeps the score of the latest `respondedAt` as the last score. A comment
    that arrives in the customer's next message publishes the response again, with the
    same `responseId` and the comment.
    """

    TYPE: ClassVar[str] = "messaging.nps.submitted.v1"
    TOPIC: ClassVar[str] = topics.MESSAGING

    response_id: uuid.UUID
    score: int = Field(ge=0, le=10)
    comment: str | None = None
    receipt_id: uuid.UUID | None = Field(default=None, description="The surveyed purchase.")
    responded_at: AwareDatetime

    def subject(self) -> str:
        return str(self.response_id)


class MessagingMergeApplied(CustomerMergeApplied):
    """Messaging moved the duplicate's conversation, NPS answers and the messengers the
    survivor lacks to the survivor; `messengers` is null when neither has one, and
    `lastNpsScore`/`lastNpsAt` are the survivor's latest answer, if any."""

    TYPE: ClassVar[str] = "messaging.customer.merge.applied.v1"
    TOPIC: ClassVar[str] = topics.MESSAGING

    messengers: Messengers | None = None
    last_nps_score: int | None = Field(default=None, ge=0, le=10)
    last_nps_at: AwareDatetime | None = None
