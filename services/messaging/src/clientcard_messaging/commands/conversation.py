"""What merchants and customers do through messaging: each function one change, committed
with its events."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from clientcard_contracts.enums import (
    BroadcastStatus,
    Channel,
    DeliveryStatus,
    MessageDirection,
    MessageKind,
    UnsubscribeReason,
)
from clientcard_messaging.commands import publishing
from clientcard_messaging.db.unit_of_work import MessagingUnitOfWork
from clientcard_messaging.domain import messages as message_rules
from clientcard_messaging.domain import subscriptions as rules
from clientcard_messaging.domain.errors import Conflict, NotFound
from clientcard_messaging.domain.records import Broadcast, Message, Subscription


def _now() -> datetime:
    return datetime.now(UTC)


async def link_messenger(
    uow: MessagingUnitOfWork,
    customer_id: uuid.UUID,
    channel: Channel,
    address: str,
    configured: frozenset[Channel] | None = None,
) -> list[Subscription]:
    """Link the customer's address; with `configured` (a merchant's request, not the
    provider's own webhook), only on a channel the merchant has a provider for."""
    if configured is not None:
        rules.require_configured(channel, configured, "channel")
    to = rules.address(channel, address)
    holder = await uow.subscriptions.holder_of(channel, to)
    if holder is not None and holder != customer_id:
        raise Conflict(f"this {channel.value} address is linked to another customer")
    version, before = await locked_subscriptions(uow, customer_id)
    after = rules.link(before, channel, to, _now())
    if after != before:
        linked = rules.find(after, channel)
        assert linked is not None
        await _save(uow, customer_id, version, before, after, subscribed=linked)
        await uow.commit()
    return rules.in_display_order(after)


async def set_default_messenger(
    uow: MessagingUnitOfWork, customer_id: uuid.UUID, channel: Channel
) -> list[Subscription]:
    version, before = await locked_subscriptions(uow, customer_id)
    after = rules.make_default(before, channel)
    if after != before:
        await _save(uow, customer_id, version, before, after)
        await uow.commit()
    return rules.in_display_order(after)


async def unsubscribe_messenger(
    uow: MessagingUnitOfWork,
    customer_id: uuid.UUID,
    channel: Channel,
    reason: UnsubscribeReason = UnsubscribeReason.MANAGER,
) -> list[Subscription]:
    """Stop all sending on the channel and forget the address."""
    version, before = await locked_subscriptions(uow, customer_id)
    after = rules.deactivate(before, channel, forget_address=True)
    if after != before:
        await _save(uow, customer_id, version, before, after, stopped=(channel, reason))
        await uow.commit()
    return rules.in_display_order(after)


async def mark_blocked(
    uow: MessagingUnitOfWork,
    customer_id: uuid.UUID,
    channel: Channel,
    reason: UnsubscribeReason = UnsubscribeReason.BLOCKED,
) -> None:
    """The provider says the customer blocked the bot (or, with CUSTOMER, withdrew their
    permission to be written to): the subscription turns INACTIVE.

    The address is kept, so the customer's next message from that chat is still theirs.
    """
    version, before = await locked_subscriptions(uow, customer_id)
    current = rules.find(before, channel)
    if current is None or not current.active:
        return
    after = rules.deactivate(before, channel, forget_address=False)
    await _save(uow, customer_id, version, before, after, stopped=(channel, reason))


async def send_message(
    uow: MessagingUnitOfWork,
    customer_id: uuid.UUID,
    text: str,
    channel: Channel | None,
    configured: frozenset[Channel],
) -> Message:
    body = message_rules.text(text)
    if channel is not None:
        rules.require_configured(channel, configured, "channel")
    _, current = await locked_subscriptions(uow, customer_id)
    chosen = rules.sending_channel(current, channel)
    # The default may be a channel whose provider was taken out of the settings since.
    rules.require_configured(chosen.channel, configured, "channel")
    message = await queue_message(uow, customer_id, chosen.channel, MessageKind.MANUAL, body)
    await uow.commit()
    return message


async def queue_message(
    uow: MessagingUnitOfWork,
    customer_id: uuid.UUID,
    channel: Channel,
    kind: MessageKind,
    text: str,
    *,
    delay: timedelta = timedelta(0),
    receipt_id: uuid.UUID | None = None,
) -> Message:
    now = _now()
    message = Message(
        id=uuid.uuid4(),
        customer_id=customer_id,
        channel=channel,
        direction=MessageDirection.OUTBOUND,
        kind=kind,
        text=text,
        status=DeliveryStatus.QUEUED,
        created_at=now,
    )
    await uow.messages.add(message, due_at=now + delay, receipt_id=receipt_id)
    return message


async def create_broadcast(uow: MessagingUnitOfWork, new: message_rules.NewBroadcast) -> Broadcast:
    now = _now()
    broadcast = Broadcast(
        id=uuid.uuid4(),
        name=new.name,
        text=new.text,
        segment_ids=new.segment_ids,
        channel=new.channel,
        status=BroadcastStatus.SCHEDULED if new.scheduled_at else BroadcastStatus.SENDING,
        scheduled_at=new.scheduled_at,
        created_at=now,
    )
    await uow.broadcasts.add(broadcast, due_at=new.scheduled_at or now)
    await uow.commit()
    return broadcast


async def cancel_broadcast(uow: MessagingUnitOfWork, broadcast_id: uuid.UUID) -> Broadcast:
    """Stop a mailing: what is not sent yet is dropped; what is being sent finishes."""
    broadcast = await uow.broadcasts.get(broadcast_id, for_update=True)
    if broadcast is None:
        raise NotFound(f"no broadcast {broadcast_id}")
    if broadcast.status in (BroadcastStatus.SENT, BroadcastStatus.CANCELLED):
        raise Conflict(f"the broadcast is {broadcast.status.value} already")
    await uow.broadcasts.set_status(broadcast_id, BroadcastStatus.CANCELLED, _now())
    await uow.broadcasts.drop_unsent(broadcast_id)
    await uow.commit()
    return replace(broadcast, status=BroadcastStatus.CANCELLED)


async def erase_customer(uow: MessagingUnitOfWork, customer_id: uuid.UUID) -> None:
    """Erasure: the conversation (and with it the answers), addresses and subscriptions."""
    # Messages first: a sender holds message locks before it touches subscriptions.
    await uow.messages.remove_customer(customer_id)
    await uow.nps.remove_customer(customer_id)
    await uow.subscriptions.remove_customer(customer_id)
    await uow.customers.remove(customer_id)


async def locked_subscriptions(
    uow: MessagingUnitOfWork, customer_id: uuid.UUID
) -> tuple[int, list[Subscription]]:
    """Lock the customer's messengers for a change; returns their version and them."""
    version = await uow.customers.lock_messengers(customer_id)
    return version, await uow.subscriptions.of_customer(customer_id)


async def _save(
    uow: MessagingUnitOfWork,
    customer_id: uuid.UUID,
    version: int,
    before: list[Subscription],
    after: list[Subscription],
    *,
    subscribed: Subscription | None = None,
    stopped: tuple[Channel, UnsubscribeReason] | None = None,
) -> None:
    """Store the changed subscriptions and announce them, all with the same picture."""
    await uow.subscriptions.save(customer_id, [s for s in after if s not in before])
    await uow.customers.set_messengers_version(customer_id, version + 1)
    picture = publishing.messengers(version + 1, after)
    tenant = uow.tenant
    if subscribed is not None:
        uow.publish(publishing.subscribed(tenant, customer_id, subscribed, picture))
    if stopped is not None:
        channel, reason = stopped
        uow.publish(publishing.unsubscribed(tenant, customer_id, channel, reason, picture))
    previous = rules.default_of(before)
    previous_channel = previous.channel if previous else None
    if previous_channel != picture.default_channel:
        uow.publish(publishing.default_changed(tenant, customer_id, previous_channel, picture))
