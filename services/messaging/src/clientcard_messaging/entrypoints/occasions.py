"""The events automations write on, each read by a consumer of its own: registrations
(WELCOME), sales (AFTER_PURCHASE, and the last purchase WIN_BACK counts from), bonus
operations (the balance and next expiry texts name, BONUS_EXPIRY's dates, and BIRTHDAY
when bonuses grant the birthday bonus)."""

from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts import topics
from clientcard_contracts.enums import AutomationKind, BonusEvent, ReceiptType
from clientcard_contracts.events import bonuses, customers, receipts
from clientcard_kit.events.inbound import InboundMessage
from clientcard_kit.runtime import Subscription
from clientcard_messaging.commands.automations import note_occasion
from clientcard_messaging.db.unit_of_work import SOURCE, MessagingUnitOfWork
from clientcard_messaging.domain import automations as rules


def _uow(session: AsyncSession, message: InboundMessage) -> MessagingUnitOfWork:
    return MessagingUnitOfWork.joining(session, tenant=message.tenant_id, source=SOURCE)


async def registered(session: AsyncSession, message: InboundMessage) -> None:
    event = message.payload
    assert isinstance(event, customers.CustomerRegistered)
    await note_occasion(
        _uow(session, message),
        AutomationKind.WELCOME,
        event.customer_id,
        rules.welcome_occasion(),
        event.registration.registered_at,
    )


async def purchased(session: AsyncSession, message: InboundMessage) -> None:
    receipt = message.payload
    assert isinstance(receipt, receipts.ReceiptRegistered)
    if receipt.type is not ReceiptType.SALE:
        return
    uow = _uow(session, message)
    await uow.automations.apply_purchase(receipt.customer_id, receipt.purchased_at)
    await note_occasion(
        uow,
        AutomationKind.AFTER_PURCHASE,
        receipt.customer_id,
        rules.purchase_occasion(receipt.receipt_id),
        receipt.purchased_at,
    )


async def bonuses_changed(session: AsyncSession, message: InboundMessage) -> None:
    operation = message.payload
    assert isinstance(operation, bonuses.BonusTransactionRecorded)
    uow = _uow(session, message)
    account = operation.account
    await uow.automations.apply_bonuses(
        operation.customer_id,
        account.version,
        account.balance,
        (account.next_expiry_at, account.next_expiry_amount),
    )
    if operation.event is BonusEvent.BIRTHDAY:
        settings = await uow.automations.settings()
        await note_occasion(
            uow,
            AutomationKind.BIRTHDAY,
            operation.customer_id,
            rules.birthday_occasion(operation.occurred_at, settings),
            operation.occurred_at,
        )


OCCASIONS = (
    Subscription(
        name="automations-customers",
        topics=(topics.CUSTOMERS,),
        handlers={customers.CustomerRegistered.TYPE: registered},
    ),
    Subscription(
        name="automations-receipts",
        topics=(topics.RECEIPTS,),
        handlers={receipts.ReceiptRegistered.TYPE: purchased},
    ),
    Subscription(
        name="automations-bonuses",
        topics=(topics.BONUSES,),
        handlers={bonuses.BonusTransactionRecorded.TYPE: bonuses_changed},
    ),
)
