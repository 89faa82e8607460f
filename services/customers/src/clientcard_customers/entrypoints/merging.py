"""How the customers service follows a merge: each service's answer that it moved the
duplicate's records, with the survivor's figures it now counts."""

from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts.events import bonuses, messaging, receipts
from clientcard_contracts.events.merging import CustomerMergeApplied
from clientcard_customers.commands.merging import Figures, record_merge_step
from clientcard_customers.db.figures import FigureGroup
from clientcard_customers.db.unit_of_work import SOURCE, CustomersUnitOfWork
from clientcard_kit.batch_consumers import BatchHandler, one_at_a_time
from clientcard_kit.events.inbound import Handler, InboundMessage


def survivor_figures(answer: CustomerMergeApplied) -> list[Figures]:
    """The figure groups an answer carries (none when neither card had any)."""
    if isinstance(answer, receipts.ReceiptsMergeApplied) and answer.purchase_stats:
        stats = answer.purchase_stats
        values: dict[str, object] = {
            "purchases": stats.purchases,
            "revenue": stats.revenue,
            "average_check": stats.average_check,
            "last_purchase_at": stats.last_purchase_at,
        }
        return [(FigureGroup.PURCHASES, values, stats.version)]
    if isinstance(answer, bonuses.BonusesMergeApplied) and answer.account:
        account = answer.account
        values = {"bonus_balance": account.balance, "bonuses_expiring_at": account.next_expiry_at}
        return [(FigureGroup.BONUS_BALANCE, values, account.version)]
    if isinstance(answer, messaging.MessagingMergeApplied):
        return _messaging_figures(answer)
    return []


def _messaging_figures(answer: messaging.MessagingMergeApplied) -> list[Figures]:
    found: list[Figures] = []
    if answer.messengers:
        picture = answer.messengers
        values: dict[str, object] = {
            "messenger_status": picture.status.value if picture.status else None,
            "default_channel": picture.default_channel.value if picture.default_channel else None,
        }
        found.append((FigureGroup.MESSENGERS, values, picture.version))
    if answer.last_nps_score is not None and answer.last_nps_at is not None:
        found.append(
            (FigureGroup.NPS, {"last_nps_score": answer.last_nps_score}, answer.last_nps_at)
        )
    return found


async def merge_applied(session: AsyncSession, message: InboundMessage) -> None:
    answer = message.payload
    assert isinstance(answer, CustomerMergeApplied)
    uow = CustomersUnitOfWork.joining(session, tenant=message.tenant_id, source=SOURCE)
    await record_merge_step(uow, answer.duplicate_id, answer.service, survivor_figures(answer))


_ANSWERS = (
    receipts.ReceiptsMergeApplied,
    bonuses.BonusesMergeApplied,
    messaging.MessagingMergeApplied,
)

HANDLERS: dict[str, Handler] = {answer.TYPE: merge_applied for answer in _ANSWERS}
BATCH_HANDLERS: dict[str, BatchHandler] = {
    answer.TYPE: one_at_a_time(merge_applied) for answer in _ANSWERS
}
