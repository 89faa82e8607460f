"""How the customers service keeps its read model of figures from other services' events.

Receipts and bonus operations come by the thousand: a batch of them is applied with one
statement per kind (`commands.figures.keep_figures`); messenger changes and NPS answers,
rare, one at a time.
"""

import uuid
from collections.abc import Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts import topics
from clientcard_contracts.enums import ReceiptType
from clientcard_contracts.events import bonuses, messaging, receipts
from clientcard_customers.commands.figures import keep_figures
from clientcard_customers.db.figures import FigureGroup, FigureUpdate
from clientcard_customers.entrypoints import merging
from clientcard_customers.entrypoints.job_confirmations import counting_jobs, counting_jobs_in_batch
from clientcard_kit.batch_consumers import BatchHandler, BatchSubscription, one_at_a_time
from clientcard_kit.events.inbound import Handler, InboundMessage


def purchase_figures(message: InboundMessage) -> FigureUpdate:
    receipt = message.payload
    assert isinstance(receipt, receipts.ReceiptRegistered)
    stats = receipt.purchase_stats
    values: dict[str, object] = {
        "purchases": stats.purchases,
        "revenue": stats.revenue,
        "average_check": stats.average_check,
        "last_purchase_at": stats.last_purchase_at,
    }
    return receipt.customer_id, values, stats.version


def balance_figures(message: InboundMessage) -> FigureUpdate:
    operation = message.payload
    assert isinstance(operation, bonuses.BonusTransactionRecorded)
    values: dict[str, object] = {
        "bonus_balance": operation.account.balance,
        "bonuses_expiring_at": operation.account.next_expiry_at,
    }
    return operation.customer_id, values, operation.account.version


def tier_figures(message: InboundMessage) -> FigureUpdate:
    changed = message.payload
    assert isinstance(changed, bonuses.BonusTierChanged)
    return changed.customer_id, {"tier_id": changed.tier_id}, changed.version


def bought_at(message: InboundMessage) -> tuple[uuid.UUID, str] | None:
    """Where the customer bought, for a sale (a return buys nowhere)."""
    receipt = message.payload
    assert isinstance(receipt, receipts.ReceiptRegistered)
    return (receipt.customer_id, receipt.outlet_id) if receipt.type is ReceiptType.SALE else None


Outlet = Callable[[InboundMessage], tuple[uuid.UUID, str] | None]


def _one(
    group: FigureGroup, figures: Callable[[InboundMessage], FigureUpdate], outlet: Outlet | None
) -> Handler:
    async def handle(session: AsyncSession, message: InboundMessage) -> None:
        await keep_figures(
            session, message.tenant_id, group, [figures(message)], _bought([message], outlet)
        )

    return handle


def _many(
    group: FigureGroup, figures: Callable[[InboundMessage], FigureUpdate], outlet: Outlet | None
) -> BatchHandler:
    async def handle(
        session: AsyncSession, tenant: str, messages: Sequence[InboundMessage]
    ) -> list[str | None]:
        updates = [figures(m) for m in messages]
        await keep_figures(session, tenant, group, updates, _bought(messages, outlet))
        return [None] * len(messages)

    return handle


def _bought(
    messages: Sequence[InboundMessage], outlet: Outlet | None
) -> list[tuple[uuid.UUID, str]]:
    if outlet is None:
        return []
    return [pair for pair in map(outlet, messages) if pair is not None]


purchases_changed = _one(FigureGroup.PURCHASES, purchase_figures, bought_at)
bonus_balance_changed = _one(FigureGroup.BONUS_BALANCE, balance_figures, None)
tier_changed = _one(FigureGroup.TIER, tier_figures, None)


async def messengers_changed(session: AsyncSession, message: InboundMessage) -> None:
    event = message.payload
    assert isinstance(
        event,
        messaging.MessengerSubscribed
        | messaging.MessengerUnsubscribed
        | messaging.MessengerDefaultChanged,
    )
    picture = event.messengers
    values: dict[str, object] = {
        "messenger_status": picture.status.value if picture.status else None,
        "default_channel": picture.default_channel.value if picture.default_channel else None,
    }
    await keep_figures(
        session,
        message.tenant_id,
        FigureGroup.MESSENGERS,
        [(event.customer_id, values, picture.version)],
    )


async def nps_submitted(session: AsyncSession, message: InboundMessage) -> None:
    answer = message.payload
    assert isinstance(answer, messaging.NpsSubmitted)
    values: dict[str, object] = {"last_nps_score": answer.score}
    await keep_figures(
        session,
        message.tenant_id,
        FigureGroup.NPS,
        [(answer.customer_id, values, answer.responded_at)],
    )


HANDLERS: dict[str, Handler] = {
    receipts.ReceiptRegistered.TYPE: purchases_changed,
    bonuses.BonusTransactionRecorded.TYPE: counting_jobs(bonus_balance_changed),
    messaging.MessengerSubscribed.TYPE: messengers_changed,
    messaging.MessengerUnsubscribed.TYPE: messengers_changed,
    messaging.MessengerDefaultChanged.TYPE: messengers_changed,
    messaging.NpsSubmitted.TYPE: nps_submitted,
    bonuses.BonusTierChanged.TYPE: tier_changed,
    **merging.HANDLERS,
}

BATCH_HANDLERS: dict[str, BatchHandler] = {
    receipts.ReceiptRegistered.TYPE: _many(FigureGroup.PURCHASES, purchase_figures, bought_at),
    bonuses.BonusTransactionRecorded.TYPE: counting_jobs_in_batch(
        _many(FigureGroup.BONUS_BALANCE, balance_figures, None)
    ),
    messaging.MessengerSubscribed.TYPE: one_at_a_time(messengers_changed),
    messaging.MessengerUnsubscribed.TYPE: one_at_a_time(messengers_changed),
    messaging.MessengerDefaultChanged.TYPE: one_at_a_time(messengers_changed),
    messaging.NpsSubmitted.TYPE: one_at_a_time(nps_submitted),
    bonuses.BonusTierChanged.TYPE: _many(FigureGroup.TIER, tier_figures, None),
    **merging.BATCH_HANDLERS,
}

FIGURES = BatchSubscription(
    name="figures",
    topics=(topics.RECEIPTS, topics.BONUSES, topics.MESSAGING),
    handlers=HANDLERS,
    batch_handlers=BATCH_HANDLERS,
)
