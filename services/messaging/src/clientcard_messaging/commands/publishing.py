"""The events the messaging service publishes, built from its records."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from clientcard_contracts.enums import Channel, MessageKind, UnsubscribeReason
from clientcard_contracts.events import messaging as events
from clientcard_messaging.domain import subscriptions as rules
from clientcard_messaging.domain.records import NpsResponse, Subscription


def _now() -> datetime:
    return datetime.now(UTC)


def messengers(version: int, subscriptions: Sequence[Subscription]) -> events.Messengers:
    current = list(subscriptions)
    default = rules.default_of(current)
    return events.Messengers(
        version=version,
        status=rules.overall_status(current),
        default_channel=default.channel if default else None,
        subscriptions=tuple(
            events.ChannelSubscription(channel=s.channel, status=s.status, is_default=s.is_default)
            for s in rules.in_display_order(current)
        ),
    )


def subscribed(
    tenant: str,
    customer_id: uuid.UUID,
    subscription: Subscription,
    picture: events.Messengers,
) -> events.MessengerSubscribed:
    return events.MessengerSubscribed(
        tenant_id=tenant,
        customer_id=customer_id,
        occurred_at=_now(),
        channel=subscription.channel,
        subscribed_at=subscription.subscribed_at,
        messengers=picture,
    )


def unsubscribed(
    tenant: str,
    customer_id: uuid.UUID,
    channel: Channel,
    reason: UnsubscribeReason,
    picture: events.Messengers,
) -> events.MessengerUnsubscribed:
    return events.MessengerUnsubscribed(
        tenant_id=tenant,
        customer_id=customer_id,
        occurred_at=_now(),
        channel=channel,
        reason=reason,
        messengers=picture,
    )


def default_changed(
    tenant: str,
    customer_id: uuid.UUID,
    previous: Channel | None,
    picture: events.Messengers,
) -> events.MessengerDefaultChanged:
    return events.MessengerDefaultChanged(
        tenant_id=tenant,
        customer_id=customer_id,
        occurred_at=_now(),
        default_channel=picture.default_channel,
        previous_channel=previous,
        messengers=picture,
    )


def delivered(
    tenant: str,
    *,
    customer_id: uuid.UUID,
    message_id: uuid.UUID,
    channel: Channel,
    kind: MessageKind,
    broadcast_id: uuid.UUID | None,
    sent_at: datetime,
    delivered_at: datetime,
    messages_delivered: int,
) -> events.MessageDelivered:
    return events.MessageDelivered(
        tenant_id=tenant,
        customer_id=customer_id,
        occurred_at=delivered_at,
        message_id=message_id,
        channel=channel,
        kind=kind,
        broadcast_id=broadcast_id if kind is MessageKind.BROADCAST else None,
        sent_at=sent_at,
        delivered_at=delivered_at,
        messages_delivered=max(messages_delivered, 1),
    )


def nps_submitted(tenant: str, response: NpsResponse) -> events.NpsSubmitted:
    return events.NpsSubmitted(
        tenant_id=tenant,
        customer_id=response.customer_id,
        occurred_at=_now(),
        response_id=response.id,
        score=response.score,
        comment=response.comment,
        receipt_id=response.receipt_id,
        responded_at=response.responded_at,
    )


def merge_applied(
    tenant: str,
    survivor_id: uuid.UUID,
    duplicate_id: uuid.UUID,
    messengers_now: events.Messengers | None,
    last_answer: tuple[int, datetime] | None,
) -> events.MessagingMergeApplied:
    return events.MessagingMergeApplied(
        tenant_id=tenant,
        customer_id=survivor_id,
        occurred_at=_now(),
        duplicate_id=duplicate_id,
        service="messaging",
        messengers=messengers_now,
        last_nps_score=last_answer[0] if last_answer else None,
        last_nps_at=last_answer[1] if last_answer else None,
    )
