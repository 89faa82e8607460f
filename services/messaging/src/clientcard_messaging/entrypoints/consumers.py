"""How the messaging service follows the customers it writes to and the purchases it
surveys: the projection of customers (phones, segments, erasure) and NPS scheduling."""

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts import topics
from clientcard_contracts.enums import MessageKind, ReceiptType
from clientcard_contracts.events import customers, receipts
from clientcard_kit.events.inbound import Handler, InboundMessage
from clientcard_kit.runtime import Subscription
from clientcard_messaging import commands
from clientcard_messaging.commands.merging import merge_customer
from clientcard_messaging.db.unit_of_work import SOURCE, MessagingUnitOfWork
from clientcard_messaging.domain import subscriptions as rules
from clientcard_messaging.settings import MessagingSettings


def _uow(session: AsyncSession, message: InboundMessage) -> MessagingUnitOfWork:
    return MessagingUnitOfWork.joining(session, tenant=message.tenant_id, source=SOURCE)


async def profile_changed(session: AsyncSession, message: InboundMessage) -> None:
    profile = message.payload
    assert isinstance(profile, customers.CustomerRegistered | customers.CustomerUpdated)
    await _uow(session, message).customers.apply_profile(
        profile.customer_id, profile.phone, profile.version, profile.first_name
    )


async def segments_changed(session: AsyncSession, message: InboundMessage) -> None:
    change = message.payload
    assert isinstance(change, customers.CustomerSegmentsChanged)
    await _uow(session, message).customers.apply_segments(
        change.customer_id, [segment.id for segment in change.segments], change.version
    )


async def customer_deleted(session: AsyncSession, message: InboundMessage) -> None:
    deleted = message.payload
    assert isinstance(deleted, customers.CustomerDeleted)
    await commands.erase_customer(_uow(session, message), deleted.customer_id)


async def customer_merged(session: AsyncSession, message: InboundMessage) -> None:
    merged = message.payload
    assert isinstance(merged, customers.CustomerMerged)
    await merge_customer(_uow(session, message), merged.customer_id, merged.survivor_id)


CUSTOMERS = Subscription(
    name="customers",
    topics=(topics.CUSTOMERS,),
    handlers={
        customers.CustomerRegistered.TYPE: profile_changed,
        customers.CustomerUpdated.TYPE: profile_changed,
        customers.CustomerSegmentsChanged.TYPE: segments_changed,
        customers.CustomerDeleted.TYPE: customer_deleted,
        customers.CustomerMerged.TYPE: customer_merged,
    },
)


def survey_scheduler(settings: MessagingSettings) -> Handler:
    """On a sale, queue an NPS survey to the customer's default messenger, after a delay.

    At most one survey per customer per period; a customer with no active messenger is
    not surveyed (a later purchase may be).
    """
    delay = timedelta(minutes=settings.nps_survey_delay_minutes)
    period = timedelta(days=settings.nps_survey_period_days)

    async def schedule_survey(session: AsyncSession, message: InboundMessage) -> None:
        receipt = message.payload
        assert isinstance(receipt, receipts.ReceiptRegistered)
        if receipt.type is not ReceiptType.SALE:
            return
        uow = _uow(session, message)
        _, current = await commands.locked_subscriptions(uow, receipt.customer_id)
        default = rules.default_of(current)
        if default is None or not default.active:
            return
        now = datetime.now(UTC)
        last = await uow.messages.last_survey_at(receipt.customer_id)
        if last is not None and last > now - period:
            return
        await commands.queue_message(
            uow,
            receipt.customer_id,
            default.channel,
            MessageKind.SURVEY,
            settings.nps_question,
            delay=delay,
            receipt_id=receipt.receipt_id,
        )

    return schedule_survey


def surveys(settings: MessagingSettings) -> Subscription:
    return Subscription(
        name="surveys",
        topics=(topics.RECEIPTS,),
        handlers={receipts.ReceiptRegistered.TYPE: survey_scheduler(settings)},
    )
