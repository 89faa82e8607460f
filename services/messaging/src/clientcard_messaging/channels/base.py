"""The one small interface every channel provider implements.

A provider sends a batch of texts to addresses and says what became of each one (the
delivery report of that moment), and reads its inbound webhook into what the service
understands: a customer's text, a later delivery report, a customer blocking the bot, or
allowing and denying the channel's messages.
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from clientcard_contracts.enums import DeliveryStatus


class Outcome(StrEnum):
    DELIVERED = "DELIVERED"  # the provider put it in the customer's chat
    SENT = "SENT"  # accepted; a delivery report may follow
    RETRY = "RETRY"  # a passing failure (the provider is down, rate limited): try again
    BLOCKED = "BLOCKED"  # the customer blocked the bot or left: stop using the channel
    REJECTED = "REJECTED"  # will never go through as it is (e.g. no such chat)


@dataclass(frozen=True, slots=True)
class Outgoing:
    message_id: uuid.UUID
    customer_id: uuid.UUID
    address: str
    text: str
    # When the customer last wrote on this channel (WhatsApp lets a business write freely
    # only within 24 hours of it); None when unknown or never.
    last_inbound_at: datetime | None = None
    # WhatsApp said the window is closed for this one: the template, not text.
    template_only: bool = False


@dataclass(frozen=True, slots=True)
class SendResult:
    message_id: uuid.UUID
    outcome: Outcome
    provider_message_id: str | None = None
    reason: str | None = None
    # Seconds the provider asked to wait before trying again (Telegram's retry_after).
    retry_after: float | None = None
    # What the provider charged for it and in how many parts it went (SMS), if it says.
    cost: Decimal | None = None
    parts: int | None = None
    # The provider's own error code, when it gave one.
    code: int | None = None


@dataclass(frozen=True, slots=True)
class InboundText:
    address: str
    text: str
    received_at: datetime
    # The provider's id of the message, where it resends a call it is unsure arrived
    # (WhatsApp's message id, SMSC's sms_id): the same message is then taken in once.
    provider_id: str | None = None


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What the provider says of one message: by this service's id (the sandbox, which
    has none of its own) or by the provider's."""

    message_id: uuid.UUID | None
    provider_message_id: str | None
    status: DeliveryStatus
    at: datetime
    # FAILED only: the provider's reason, and whether it means the customer cannot be
    # reached on the channel at all (e.g. the number is not on WhatsApp).
    reason: str | None = None
    unreachable: bool = False
    # FAILED only, WhatsApp: free text came outside the customer service window; the
    # message may go again as the template.
    outside_window: bool = False


@dataclass(frozen=True, slots=True)
class PhoneShared:
    """The customer shared their own phone with the bot (Telegram vouches for it)."""

    address: str
    phone: str
    received_at: datetime


@dataclass(frozen=True, slots=True)
class BlockedByCustomer:
    address: str
    at: datetime


@dataclass(frozen=True, slots=True)
class AllowedByCustomer:
    """The customer allowed the channel to write to them (VK's message_allow); `key` is
    what the merchant's subscribe link carried (the customer's phone), if anything."""

    address: str
    key: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class DeniedByCustomer:
    """The customer withdrew the permission to write to them (VK's message_deny)."""

    address: str
    at: datetime


Inbound = (
    InboundText
    | PhoneShared
    | DeliveryReport
    | BlockedByCustomer
    | AllowedByCustomer
    | DeniedByCustomer
)


class WebhookRejected(Exception):
    """A webhook call that is not the provider's, or not readable: answered with an error."""

    def __init__(self, status_code: int, reason: str) -> None:
        super().__init__(reason)
        self.status_code = status_code
        self.reason = reason


class ChannelProvider(Protocol):
    name: str
    # Mailings through this provider are spread to at most this many a second; 0 = no limit.
    messages_per_second: float

    async def send(self, batch: Sequence[Outgoing]) -> list[SendResult]:
        """Send each text; one result per item, whatever happened to the others."""
        ...

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[Inbound]:
        """What an inbound webhook call says; WebhookRejected when it cannot be trusted."""
        ...
