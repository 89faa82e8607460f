"""How the customers service keeps its read model of figures from other services' events."""

from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts import topics
from clientcard_contracts.events import bonuses, messaging, receipts
from clientcard_customers.db.figures import FigureGroup, FiguresRepository
from clientcard_kit.events.inbound import Handler, InboundMessage
from clientcard_kit.runtime import Subscription


async def purchases_changed(session: AsyncSession, message: InboundMessage) -> None:
    receipt = message.payload
    assert isinstance(receipt, receipts.ReceiptRegistered)
    stats = receipt.purchase_stats
    await FiguresRepository(session).apply(
        receipt.customer_id,
        FigureGroup.PURCHASES,
        {
            "purchases": stats.purchases,
            "revenue": stats.revenue,
            "average_check": stats.average_check,
            "last_purchase_at": stats.last_purchase_at,
        },
        stats.version,
    )


async def bonus_balance_changed(session: AsyncSession, message: InboundMessage) -> None:
    operation = message.payload
    assert isinstance(operation, bonuses.BonusTransactionRecorded)
    await FiguresRepository(session).apply(
        operation.customer_id,
        FigureGroup.BONUS_BALANCE,
        {"bonus_balance": operation.account.balance},
        operation.account.version,
    )


async def messengers_changed(session: AsyncSession, message: InboundMessage) -> None:
    event = message.payload
    assert isinstance(
        event,
        messaging.MessengerSubscribed
        | messaging.MessengerUnsubscribed
        | messaging.MessengerDefaultChanged,
    )
    picture = event.messengers
    await FiguresRepository(session).apply(
        event.customer_id,
        FigureGroup.MESSENGERS,
        {
            "messenger_status": picture.status.value if picture.status else None,
            "default_channel": picture.default_channel.value if picture.default_channel else None,
        },
        picture.version,
    )


async def nps_submitted(session: AsyncSession, message: InboundMessage) -> None:
    answer = message.payload
    assert isinstance(answer, messaging.NpsSubmitted)
    await FiguresRepository(session).apply(
        answer.customer_id, FigureGroup.NPS, {"last_nps_score": answer.score}, answer.responded_at
    )


HANDLERS: dict[str, Handler] = {
    receipts.ReceiptRegistered.TYPE: purchases_changed,
    bonuses.BonusTransactionRecorded.TYPE: bonus_balance_changed,
    messaging.MessengerSubscribed.TYPE: messengers_changed,
    messaging.MessengerUnsubscribed.TYPE: messengers_changed,
    messaging.MessengerDefaultChanged.TYPE: messengers_changed,
    messaging.NpsSubmitted.TYPE: nps_submitted,
}

FIGURES = Subscription(
    name="figures",
    topics=(topics.RECEIPTS, topics.BONUSES, topics.MESSAGING),
    handlers=HANDLERS,
)
