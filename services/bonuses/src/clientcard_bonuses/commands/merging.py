"""A merge of two customers, the bonuses service's part: the duplicate's ledger, lots,
reservations and receipts' bonuses become the survivor's, once, in one transaction,
answered by `merge.applied` with the survivor's account totals."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from clientcard_bonuses.commands import publishing
from clientcard_bonuses.db.unit_of_work import BonusesUnitOfWork
from clientcard_contracts.events.receipts import ReceiptRegistered


async def merge_customer(
    uow: BonusesUnitOfWork, duplicate_id: uuid.UUID, survivor_id: uuid.UUID
) -> None:
    now = datetime.now(UTC)
    # Both accounts locked, in id order, as every change of an account takes them.
    held = await uow.merging.lock_accounts(sorted([survivor_id, duplicate_id]))
    if duplicate_id in held:
        if survivor_id not in held:
            await uow.accounts.open(survivor_id, now, with_lots=False)
        await uow.merging.move(duplicate_id, survivor_id)
        burns = await uow.accounts.next_expirations([survivor_id])
        await uow.merging.set_next_expiry(survivor_id, burns.get(survivor_id))
        # Both cards' sales now make the survivor's spend: the next review places its tier.
        await uow.merging.review_spend(survivor_id, now)
    await uow.merging.move_birthday_bonuses(duplicate_id, survivor_id)
    await uow.merged_away.remember(duplicate_id, survivor_id)
    totals = (await uow.accounts.totals([survivor_id])).get(survivor_id)
    uow.publish(publishing.merge_applied(uow.tenant, survivor_id, duplicate_id, totals, now))
    await uow.commit()


async def to_survivors(
    uow: BonusesUnitOfWork, receipts: Sequence[ReceiptRegistered]
) -> list[ReceiptRegistered]:
    """The receipts, those of a customer merged away made the survivor's: receipts and
    customers travel on different topics, so one can come after its customer's merge."""
    survivors = await uow.merged_away.survivors_of(r.customer_id for r in receipts)
    return [
        r.model_copy(update={"customer_id": survivors[r.customer_id]})
        if r.customer_id in survivors
        else r
        for r in receipts
    ]
