"""How the bonuses service follows receipts and customers."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_bonuses import commands
from clientcard_bonuses.commands.job_accruals import apply_job_accruals
from clientcard_bonuses.commands.loyalty import keep_birthday
from clientcard_bonuses.commands.merging import merge_customer
from clientcard_bonuses.db.unit_of_work import SOURCE, BonusesUnitOfWork
from clientcard_contracts import topics
from clientcard_contracts.events import customers, receipts
from clientcard_kit.batch_consumers import BatchHandler, BatchSubscription, one_at_a_time
from clientcard_kit.events.inbound import Handler, InboundMessage


def _joining(session: AsyncSession, message: InboundMessage) -> BonusesUnitOfWork:
    return BonusesUnitOfWork.joining(session, tenant=message.tenant_id, source=SOURCE)


async def receipt_registered(session: AsyncSession, message: InboundMessage) -> None:
    receipt = message.payload
    assert isinstance(receipt, receipts.ReceiptRegistered)
    await commands.apply_receipt(_joining(session, message), receipt)


async def customer_registered(session: AsyncSession, message: InboundMessage) -> None:
    customer = message.payload
    assert isinstance(customer, customers.CustomerRegistered)
    await commands.welcome(_joining(session, message), customer.customer_id)
    await _keep_birthday(session, message)


async def customer_updated(session: AsyncSession, message: InboundMessage) -> None:
    await _keep_birthday(session, message)


async def _keep_birthday(session: AsyncSession, message: InboundMessage) -> None:
    """Birth dates come with every profile event: the birthday bonus needs them."""
    customer = message.payload
    assert isinstance(customer, customers.CustomerRegistered | customers.CustomerUpdated)
    uow = _joining(session, message)
    await keep_birthday(uow, customer.customer_id, customer.birth_date, customer.version)


async def customer_deleted(session: AsyncSession, message: InboundMessage) -> None:
    customer = message.payload
    assert isinstance(customer, customers.CustomerDeleted)
    await commands.erase_customer(_joining(session, message), customer.customer_id)


async def customer_merged(session: AsyncSession, message: InboundMessage) -> None:
    merged = message.payload
    assert isinstance(merged, customers.CustomerMerged)
    await merge_customer(_joining(session, message), merged.customer_id, merged.survivor_id)


async def receipts_registered(
    session: AsyncSession, tenant: str, messages: Sequence[InboundMessage]
) -> list[str | None]:
    """A batch of one tenant's receipts, applied together in a few queries."""
    registered = [m.payload for m in messages if isinstance(m.payload, receipts.ReceiptRegistered)]
    assert len(registered) == len(messages)
    uow = BonusesUnitOfWork.joining(session, tenant=tenant, source=SOURCE)
    await commands.apply_receipts(uow, registered)
    await uow.commit()
    return [None] * len(messages)


async def bonus_accruals_requested(
    session: AsyncSession, tenant: str, messages: Sequence[InboundMessage]
) -> list[str | None]:
    """A batch of one tenant's accruals asked by customers' jobs, applied together."""
    asked = [m.payload for m in messages if isinstance(m.payload, customers.BonusAccrualRequested)]
    assert len(asked) == len(messages)
    uow = BonusesUnitOfWork.joining(session, tenant=tenant, source=SOURCE)
    await apply_job_accruals(uow, asked)
    await uow.commit()
    return [None] * len(messages)


async def bonus_accrual_requested(session: AsyncSession, message: InboundMessage) -> None:
    await bonus_accruals_requested(session, message.tenant_id, [message])


HANDLERS: dict[str, Handler] = {
    customers.BonusAccrualRequested.TYPE: bonus_accrual_requested,
    receipts.ReceiptRegistered.TYPE: receipt_registered,
    customers.CustomerRegistered.TYPE: customer_registered,
    customers.CustomerDeleted.TYPE: customer_deleted,
    customers.CustomerMerged.TYPE: customer_merged,
    customers.CustomerUpdated.TYPE: customer_updated,
}

BATCH_HANDLERS: dict[str, BatchHandler] = {
    customers.BonusAccrualRequested.TYPE: bonus_accruals_requested,
    receipts.ReceiptRegistered.TYPE: receipts_registered,
    customers.CustomerRegistered.TYPE: one_at_a_time(customer_registered),
    customers.CustomerDeleted.TYPE: one_at_a_time(customer_deleted),
    customers.CustomerMerged.TYPE: one_at_a_time(customer_merged),
    customers.CustomerUpdated.TYPE: one_at_a_time(customer_updated),
}

LEDGER = BatchSubscription(
    name="ledger",
    topics=(topics.RECEIPTS, topics.CUSTOMERS),
    handlers=HANDLERS,
    batch_handlers=BATCH_HANDLERS,
)
