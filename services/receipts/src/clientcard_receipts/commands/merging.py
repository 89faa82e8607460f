"""A merge of two customers, the receipts service's part: the duplicate's receipts and
figures become the survivor's, once, in one transaction, answered by `merge.applied`."""

import uuid
from datetime import datetime

from clientcard_receipts.commands import publishing
from clientcard_receipts.db.unit_of_work import ReceiptsUnitOfWork
from clientcard_receipts.domain.merging import merged_stats
from clientcard_receipts.domain.stats import NO_PURCHASES


async def merge_customer(
    uow: ReceiptsUnitOfWork, duplicate_id: uuid.UUID, survivor_id: uuid.UUID, now: datetime
) -> None:
    """Move the duplicate's receipts to the survivor and count them in its figures.

    The duplicate's names are held first, so a receipt naming it that is being stored
    right now lands before the move (and moves) or after it: by id it then goes to the
    survivor (`merged_away`); by phone it waits, like any phone nobody has, for whoever
    registers it (the survivor's own phone names the survivor).
    """
    phone = await uow.known_customers.phone_of(duplicate_id)
    await uow.known_customers.hold([duplicate_id, survivor_id], [phone] if phone else [])
    await uow.known_customers.forget(duplicate_id)
    await uow.merging.move_receipts(duplicate_id, survivor_id)
    await uow.merged_away.remember(duplicate_id, survivor_id)
    held = await uow.stats.lock([survivor_id, duplicate_id])
    # Neither is missing unless the event names another merchant's cards, which this
    # transaction cannot see: then nothing moves.
    survivor = held.get(survivor_id, NO_PURCHASES)
    duplicate = held.get(duplicate_id, NO_PURCHASES)
    await uow.stats.remove(duplicate_id)
    stats = None
    if duplicate.version or survivor.version:
        stats = merged_stats(survivor, duplicate)
        if stats != survivor:
            await uow.stats.save({survivor_id: stats})
    uow.publish(publishing.merge_applied(uow.tenant, survivor_id, duplicate_id, stats, now))
    await uow.commit()
