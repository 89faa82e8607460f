"""The rules of a customer's messengers: one subscription per channel, one default.

Exactly one active subscription is the default while any is active; the first one linked
becomes it, and when the default stops being active the longest-standing active one takes
over. Functions take the customer's subscriptions and return them after the change.
"""

import re
from dataclasses import replace
from datetime import datetime

from clientcard_contracts.enums import Channel, MessengerStatus
from clientcard_contracts.phone import InvalidPhone, normalize_phone
from clientcard_messaging.domain.errors import Conflict, InvalidInput, NotFound
from clientcard_messaging.domain.records import Subscription

_NUMERIC_ID = re.compile(r"-?[0-9]{1,20}")
PHONE_CHANNELS = (Channel.WHATSAPP, Channel.VIBER, Channel.SMS)


def address(channel: Channel, raw: str) -> str:
    """A channel's address in its one spelling: a chat or user id, or an E.164 phone."""
    value = raw.strip()
    if channel in PHONE_CHANNELS:
        try:
            return normalize_phone(value)
        except InvalidPhone as exc:
            raise InvalidInput("address", f"{channel.value} needs a phone number: {exc}") from None
    if not _NUMERIC_ID.fullmatch(value):
        raise InvalidInput("address", f"{channel.value} needs a numeric chat or user id")
    return value


def require_configured(channel: Channel, configured: frozenset[Channel], field: str) -> None:
    """A channel the merchant has no provider for cannot be linked or written to."""
    if channel not in configured:
        names = ", ".join(sorted(c.value for c in configured)) or "none"
        raise InvalidInput(
            field,
            f"{channel.value} is not configured for this merchant (configured: {names})",
        )


def find(subscriptions: list[Subscription], channel: Channel) -> Subscription | None:
    return next((s for s in subscriptions if s.channel is channel), None)


def default_of(subscriptions: list[Subscription]) -> Subscription | None:
    return next((s for s in subscriptions if s.is_default), None)


def link(
    subscriptions: list[Subscription], channel: Channel, to: str, now: datetime
) -> list[Subscription]:
    """Subscribe (or re-subscribe, or move to a new address) on a channel."""
    current = find(subscriptions, channel)
    if current is not None and current.active and current.address == to:
        return subscriptions
    linked = Subscription(
        channel=channel,
        address=to,
        status=MessengerStatus.ACTIVE,
        is_default=current.is_default if current else False,
        subscribed_at=current.subscribed_at if current and current.active else now,
        last_contact_at=current.last_contact_at if current else None,
        messages_delivered=current.messages_delivered if current else 0,
    )
    others = [s for s in subscriptions if s.channel is not channel]
    return with_one_default([*others, linked])


def make_default(subscriptions: list[Subscription], channel: Channel) -> list[Subscription]:
    chosen = find(subscriptions, channel)
    if chosen is None:
        raise NotFound(f"the customer has no {channel.value} subscription")
    if not chosen.active:
        raise Conflict(f"the {channel.value} subscription is inactive", channel=channel.value)
    return [replace(s, is_default=s.channel is channel) for s in subscriptions]


def deactivate(
    subscriptions: list[Subscription], channel: Channel, *, forget_address: bool
) -> list[Subscription]:
    """Stop sending on a channel: after unsubscribing (address removed) or a block."""
    current = find(subscriptions, channel)
    if current is None:
        raise NotFound(f"the customer has no {channel.value} subscription")
    stopped = replace(
        current,
        status=MessengerStatus.INACTIVE,
        is_default=False,
        address=None if forget_address else current.address,
    )
    others = [s for s in subscriptions if s.channel is not channel]
    return with_one_default([*others, stopped])


def sending_channel(subscriptions: list[Subscription], channel: Channel | None) -> Subscription:
    """The subscription a message goes out on: the one asked for, or the default."""
    chosen = default_of(subscriptions) if channel is None else find(subscriptions, channel)
    if chosen is None:
        what = "an active messenger" if channel is None else f"a {channel.value} subscription"
        raise Conflict(f"the customer has no {what}")
    if not chosen.active:
        raise Conflict(
            f"the customer's {chosen.channel.value} subscription is inactive",
            channel=chosen.channel.value,
        )
    return chosen


def overall_status(subscriptions: list[Subscription]) -> MessengerStatus | None:
    if not subscriptions:
        return None
    if any(s.active for s in subscriptions):
        return MessengerStatus.ACTIVE
    return MessengerStatus.INACTIVE


def in_display_order(subscriptions: list[Subscription]) -> list[Subscription]:
    return sorted(subscriptions, key=lambda s: (not s.is_default, s.subscribed_at, s.channel))


def with_one_default(subscriptions: list[Subscription]) -> list[Subscription]:
    """Keep the current default if it is active, else the longest-standing active one."""
    active = [s for s in subscriptions if s.active]
    current = next((s for s in active if s.is_default), None)
    if current is None and active:
        current = min(active, key=lambda s: (s.subscribed_at, s.channel))
    chosen = current.channel if current else None
    return [replace(s, is_default=s.channel is chosen) for s in subscriptions]
