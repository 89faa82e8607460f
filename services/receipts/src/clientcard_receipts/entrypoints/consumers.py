"""What the receipts service consumes: POS receipts, customers for the phone projection,
and the bonuses ledger's outcome of each receipt."""

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts import topics
from clientcard_contracts.events import bonuses, customers
from clientcard_contracts.pos import InvalidPosReceipt, PosReceipt, read_pos_receipt
from clientcard_kit.batch_consumers import BatchSubscription
from clientcard_kit.events.cloudevents import InvalidMessage
from clientcard_kit.events.inbound import Handler, InboundMessage, Record
from clientcard_kit.internal import CustomerDirectory
from clientcard_kit.runtime import Subscription
from clientcard_receipts import commands
from clientcard_receipts.commands.merging import merge_customer
from clientcard_receipts.db.unit_of_work import SOURCE, ReceiptsUnitOfWork
from clientcard_receipts.domain.records import LedgerBonuses

POS_RECEIPT = "pos.receipt.v1"


def pos_decoder(record: Record) -> InboundMessage:
    """A POS message is the plain JSON of `pos-receipt.schema.json`, not a CloudEvent."""
    try:
        receipt = read_pos_receipt(record.value or b"")
    except InvalidPosReceipt as exc:
        raise InvalidMessage(str(exc)) from exc
    return InboundMessage(
        # The message's place in the topic: a redelivery is one seen before. Resends of a
        # receipt are separate messages, recognised by the receipt's number when stored.
        event_id=f"{record.topic}/{record.partition}/{record.offset}",
        event_type=POS_RECEIPT,
        tenant_id=receipt.tenant_id,
        payload=receipt,
    )


async def pos_receipt(
    session: AsyncSession, message: InboundMessage, *, directory: CustomerDirectory
) -> None:
    receipt = message.payload
    assert isinstance(receipt, PosReceipt)
    uow = ReceiptsUnitOfWork.joining(session, tenant=message.tenant_id, source=SOURCE)
    try:
        await commands.register_receipt(uow, receipt, datetime.now(UTC), directory)
    except InvalidPosReceipt as exc:
        # The consumer sends the message, bytes untouched, to the dead-letter topic.
        raise InvalidMessage(str(exc)) from exc


async def pos_receipts(
    session: AsyncSession,
    tenant: str,
    messages: Sequence[InboundMessage],
    *,
    directory: CustomerDirectory,
) -> list[str | None]:
    """A batch of one tenant's POS receipts, stored with a few queries for them all."""
    batch: list[PosReceipt] = []
    for message in messages:
        assert isinstance(message.payload, PosReceipt)
        batch.append(message.payload)
    uow = ReceiptsUnitOfWork.joining(session, tenant=tenant, source=SOURCE)
    outcomes = await commands.register_receipts(uow, batch, datetime.now(UTC), directory)
    return [str(o) if isinstance(o, InvalidPosReceipt) else None for o in outcomes]


async def customer_known(session: AsyncSession, message: InboundMessage) -> None:
    event = message.payload
    assert isinstance(event, customers.CustomerRegistered | customers.CustomerUpdated)
    uow = ReceiptsUnitOfWork.joining(session, tenant=message.tenant_id, source=SOURCE)
    await commands.learn_customer(
        uow, event.customer_id, event.phone, event.version, datetime.now(UTC)
    )


async def customer_deleted(session: AsyncSession, message: InboundMessage) -> None:
    event = message.payload
    assert isinstance(event, customers.CustomerDeleted)
    uow = ReceiptsUnitOfWork.joining(session, tenant=message.tenant_id, source=SOURCE)
    await commands.erase_customer(uow, event.customer_id)


async def customer_merged(session: AsyncSession, message: InboundMessage) -> None:
    event = message.payload
    assert isinstance(event, customers.CustomerMerged)
    uow = ReceiptsUnitOfWork.joining(session, tenant=message.tenant_id, source=SOURCE)
    await merge_customer(uow, event.customer_id, event.survivor_id, datetime.now(UTC))


# POS receipts come in batches: one transaction and a few queries per partition's batch.
# A poll takes up to this many records across the topic's partitions.
POS_BATCH = 3000


def pos_receipts_consumer(directory: CustomerDirectory) -> BatchSubscription:
    """The POS receipts consumer; `directory` confirms the customers receipts name."""
    return BatchSubscription(
        name="pos-receipts",
        topics=(topics.POS_RECEIPTS,),
        handlers={POS_RECEIPT: partial(pos_receipt, directory=directory)},
        decoder=pos_decoder,
        dead_letter_topic=topics.POS_RECEIPTS_DLQ,
        max_batch=POS_BATCH,
        batch_handlers={POS_RECEIPT: partial(pos_receipts, directory=directory)},
    )


CUSTOMER_HANDLERS: dict[str, Handler] = {
    customers.CustomerRegistered.TYPE: customer_known,
    customers.CustomerUpdated.TYPE: customer_known,
    customers.CustomerDeleted.TYPE: customer_deleted,
    customers.CustomerMerged.TYPE: customer_merged,
}

CUSTOMERS = Subscription(name="customers", topics=(topics.CUSTOMERS,), handlers=CUSTOMER_HANDLERS)


def _ledger_bonuses(message: InboundMessage) -> LedgerBonuses:
    event = message.payload
    assert isinstance(event, bonuses.ReceiptBonusesApplied)
    return LedgerBonuses(event.receipt_id, event.bonuses_accrued, event.bonuses_spent)


async def receipt_bonuses_applied(session: AsyncSession, message: InboundMessage) -> None:
    uow = ReceiptsUnitOfWork.joining(session, tenant=message.tenant_id, source=SOURCE)
    await commands.keep_ledger_bonuses(uow, [_ledger_bonuses(message)])


async def receipts_bonuses_applied(
    session: AsyncSession, tenant: str, messages: Sequence[InboundMessage]
) -> list[str | None]:
    """A batch of one tenant's outcomes, kept with one statement; later ones win."""
    uow = ReceiptsUnitOfWork.joining(session, tenant=tenant, source=SOURCE)
    await commands.keep_ledger_bonuses(uow, [_ledger_bonuses(m) for m in messages])
    return [None] * len(messages)


# Of the ledger's events only each receipt's outcome: the card shows it beside the receipt.
LEDGER = BatchSubscription(
    name="ledger",
    topics=(topics.BONUSES,),
    handlers={bonuses.ReceiptBonusesApplied.TYPE: receipt_bonuses_applied},
    batch_handlers={bonuses.ReceiptBonusesApplied.TYPE: receipts_bonuses_applied},
)
