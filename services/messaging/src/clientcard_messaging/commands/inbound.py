"""What arrives from the channels: customers' texts, delivery reports, blocks.

A text is recorded in the customer's conversation, counts as the reply to the customer's
latest mailing within the reply window, and may answer an NPS survey. `/start <phone>`
links the chat to the customer with that phone (the bot's deep link carries it), and so
does a contact the customer shares of themselves (Telegram vouches for that phone), and so
does VK's permission to write carrying the phone in the subscribe link's key; `/stop` (or
STOP / СТОП, as WhatsApp and SMS customers write it) and VK's withdrawn permission
unsubscribe. A provider's later report that a sent message failed fails it, and turns
the subscription inactive when the customer cannot be reached there at all. Texts from
chats nobody is linked to are dropped: there is no customer to file them under.
"""

import uuid
from dataclasses import replace
from datetime import timedelta

from clientcard_contracts.enums import (
    Channel,
    DeliveryStatus,
    MessageDirection,
    MessageKind,
    UnsubscribeReason,
)
from clientcard_contracts.phone import InvalidPhone, normalize_phone
from clientcard_messaging import commands
from clientcard_messaging.channels.base import (
    AllowedByCustomer,
    BlockedByCustomer,
    DeliveryReport,
    DeniedByCustomer,
    Inbound,
    InboundText,
    PhoneShared,
)
from clientcard_messaging.commands import publishing
from clientcard_messaging.db import provider_events
from clientcard_messaging.db.unit_of_work import MessagingUnitOfWork
from clientcard_messaging.domain import nps
from clientcard_messaging.domain.errors import Conflict
from clientcard_messaging.domain.records import Message, NpsResponse
from clientcard_messaging.domain.stop_words import is_stop
from clientcard_messaging.settings import MessagingSettings

# Who delivered the event (e.g. "vk:<tenant>"), the provider's event id, its type.
ProviderEvent = tuple[str, str, str]


async def receive(
    uow: MessagingUnitOfWork,
    settings: MessagingSettings,
    channel: Channel,
    items: list[Inbound],
    once: ProviderEvent | None = None,
) -> None:
    """Take in what a webhook call said; with `once`, only the first time the provider
    delivers that event."""
    if once is not None and not await provider_events.first_time(uow.session, *once):
        return
    for item in items:
        if isinstance(item, InboundText):
            if await _first_time(uow, channel, item):
                await _text(uow, settings, channel, item)
        elif isinstance(item, PhoneShared):
            shown = InboundText(item.address, item.phone, item.received_at)
            await _start(uow, settings, channel, shown, item.phone)
        elif isinstance(item, DeliveryReport):
            await _report(uow, channel, item)
        elif isinstance(item, BlockedByCustomer):
            customer_id = await uow.subscriptions.by_address(channel, item.address)
            if customer_id is not None:
                await commands.mark_blocked(uow, customer_id, channel)
        elif isinstance(item, AllowedByCustomer):
            await _allowed(uow, settings, channel, item)
        elif isinstance(item, DeniedByCustomer):
            customer_id = await uow.subscriptions.by_address(channel, item.address)
            if customer_id is not None:
                reason = UnsubscribeReason.CUSTOMER
                await commands.mark_blocked(uow, customer_id, channel, reason)
    await uow.commit()


async def _first_time(uow: MessagingUnitOfWork, channel: Channel, item: InboundText) -> bool:
    """False for a message the provider delivered again (same provider id)."""
    if item.provider_id is None:
        return True
    source = f"{channel.value.lower()}:{uow.tenant}"
    return await provider_events.first_time(uow.session, source, item.provider_id, "message")


async def _allowed(
    uow: MessagingUnitOfWork, settings: MessagingSettings, channel: Channel, item: AllowedByCustomer
) -> None:
    """A customer already known by the address is subscribed again; anyone else is linked
    by the phone the subscribe link carried, as `/start <phone>` does."""
    customer_id = await uow.subscriptions.by_address(channel, item.address)
    if customer_id is not None:
        # The address is theirs (by_address), so no other customer holds it.
        await commands.link_messenger(uow, customer_id, channel, item.address)
    elif item.key is not None:
        shown = InboundText(item.address, item.key, item.at)
        await _start(uow, settings, channel, shown, item.key)


async def _text(
    uow: MessagingUnitOfWork, settings: MessagingSettings, channel: Channel, item: InboundText
) -> None:
    command, _, argument = item.text.strip().partition(" ")
    if command == "/start":
        await _start(uow, settings, channel, item, argument)
        return
    customer_id = await uow.subscriptions.by_address(channel, item.address)
    if customer_id is None:
        return
    if is_stop(item.text):
        await _record(uow, customer_id, channel, item, MessageKind.BOT, None)
        await commands.unsubscribe_messenger(uow, customer_id, channel, UnsubscribeReason.CUSTOMER)
        return
    since = item.received_at - timedelta(hours=settings.reply_window_hours)
    broadcast_id = await uow.messages.reply_to_mailing(customer_id, since, item.received_at)
    await _record(uow, customer_id, channel, item, MessageKind.REPLY, broadcast_id)
    await _nps_answer(uow, settings, customer_id, item)


async def _start(
    uow: MessagingUnitOfWork,
    settings: MessagingSettings,
    channel: Channel,
    item: InboundText,
    argument: str,
) -> None:
    try:
        phone = normalize_phone(argument)
    except InvalidPhone:
        return
    customer_id = await uow.customers.by_phone(phone)
    if customer_id is None:
        return
    try:
        await commands.link_messenger(uow, customer_id, channel, item.address)
    except Conflict:
        return  # the chat belongs to another customer; the manager sorts it out
    await _record(uow, customer_id, channel, item, MessageKind.BOT, None)
    await commands.queue_message(
        uow, customer_id, channel, MessageKind.BOT, settings.telegram_welcome
    )


async def _record(
    uow: MessagingUnitOfWork,
    customer_id: uuid.UUID,
    channel: Channel,
    item: InboundText,
    kind: MessageKind,
    broadcast_id: uuid.UUID | None,
) -> None:
    text = item.text.strip()[:4096]
    await uow.messages.add(
        Message(
            id=uuid.uuid4(),
            customer_id=customer_id,
            channel=channel,
            direction=MessageDirection.INBOUND,
            kind=kind,
            text=text,
            status=DeliveryStatus.DELIVERED,
            created_at=item.received_at,
            sent_at=item.received_at,
            broadcast_id=broadcast_id,
        )
    )
    await uow.subscriptions.touch(customer_id, channel, item.received_at)


async def _nps_answer(
    uow: MessagingUnitOfWork,
    settings: MessagingSettings,
    customer_id: uuid.UUID,
    item: InboundText,
) -> None:
    """A score answers the open survey; the message after a bare score is its comment."""
    since = item.received_at - timedelta(hours=settings.nps_answer_window_hours)
    waiting = await uow.nps.awaiting_comment(customer_id, since)
    if waiting is not None:
        comment = nps.comment(item.text)
        await uow.nps.close_comment(waiting.id, comment)
        if comment is not None:
            commented = replace(waiting, comment=comment)
            uow.publish(publishing.nps_submitted(uow.tenant, commented))
        return
    survey = await uow.messages.open_survey(customer_id, since)
    answer = nps.parse_answer(item.text) if survey else None
    if survey is None or answer is None:
        return
    response = NpsResponse(
        id=uuid.uuid4(),
        customer_id=customer_id,
        score=answer.score,
        comment=answer.comment,
        responded_at=item.received_at,
        receipt_id=survey.receipt_id,
    )
    await uow.nps.add(response, survey.message_id, awaiting_comment=answer.comment is None)
    uow.publish(publishing.nps_submitted(uow.tenant, response))


async def _report(uow: MessagingUnitOfWork, channel: Channel, item: DeliveryReport) -> None:
    if item.message_id is not None:
        message = await uow.messages.get(item.message_id)
    elif item.provider_message_id is not None:
        message = await uow.messages.by_provider_id(channel, item.provider_message_id)
    else:
        return
    if message is None or message.channel is not channel:
        return
    if item.status is DeliveryStatus.FAILED:
        # The text came outside WhatsApp's window after all: the template goes instead.
        if item.outside_window and await uow.messages.send_again_as_template(message.id, item.at):
            return
        failed = await uow.messages.fail_sent(message.id, item.reason or "the provider failed it")
        if failed and item.unreachable:
            await commands.mark_blocked(uow, message.customer_id, channel)
        return
    previous = message.status
    if not await uow.messages.advance(message.id, item.status, item.at):
        return
    if previous is DeliveryStatus.SENT:
        # Delivered just now (a READ implies it): counted once, announced once.
        key = (message.customer_id, channel)
        totals = await uow.subscriptions.count_delivered({key: 1}, item.at)
        uow.publish(
            publishing.delivered(
                uow.tenant,
                customer_id=message.customer_id,
                message_id=message.id,
                channel=channel,
                kind=message.kind,
                broadcast_id=message.broadcast_id,
                sent_at=message.sent_at or item.at,
                delivered_at=item.at,
                messages_delivered=totals.get(key, 1),
            )
        )
