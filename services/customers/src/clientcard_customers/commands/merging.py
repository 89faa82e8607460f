"""Merging a duplicate card into the survivor: a saga over events.

`merge_customers` does the customers service's part in one transaction: the survivor
takes the duplicate's notes, manual segments, outlets and what its profile lacks, the
duplicate's card is erased from the list at once, and `customer.merged` goes out with a
merge record of the services still to move their records. Each of them answers with its
`merge.applied`, carrying the survivor's figures as they now are; `record_merge_step`
takes the figures and ticks the service off. When none is left, the duplicate's erasure
(`customer.deleted`) is published, and every service drops whatever of the duplicate
reached it after its move.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from clientcard_customers.commands import publishing
from clientcard_customers.commands.existing import existing_customer
from clientcard_customers.commands.segments import announce_segments, keep_members
from clientcard_customers.db.figures import FigureGroup
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain import merging as rules
from clientcard_customers.domain.errors import NotFound
from clientcard_customers.domain.records import Customer

Figures = tuple[FigureGroup, dict[str, object], int | datetime]
"""A group of the survivor's figures a service sent with its answer, and its stamp."""


async def merge_customers(
    uow: CustomersUnitOfWork, survivor_id: uuid.UUID, duplicate_id: uuid.UUID
) -> Customer:
    cards = await _cards_to_merge(uow, survivor_id, duplicate_id)
    if cards is None:
        return await existing_customer(uow, survivor_id)
    now = datetime.now(UTC)
    await _take_profile(uow, cards[survivor_id], cards[duplicate_id], now)
    await uow.merging.move_notes(duplicate_id, survivor_id)
    await uow.merging.join_manual_segments(duplicate_id, survivor_id)
    await uow.merging.join_outlets(duplicate_id, survivor_id)
    await uow.merging.add(rules.Merge(duplicate_id, survivor_id, rules.STEPS, now))
    await uow.customers.remove(duplicate_id)
    uow.publish(publishing.customer_merged(uow.tenant, duplicate_id, survivor_id))
    await announce_segments(uow, [survivor_id])
    await keep_members(uow, [survivor_id])
    survivor = await existing_customer(uow, survivor_id)
    await uow.commit()
    return survivor


async def _cards_to_merge(
    uow: CustomersUnitOfWork, survivor_id: uuid.UUID, duplicate_id: uuid.UUID
) -> dict[uuid.UUID, Customer] | None:
    """Both cards, locked, for a new merge; None when this merge was made before. Raises
    what refuses it (the merges are read after the locks: a merge of the same cards
    running beside this one has committed by then)."""
    rules.pair(survivor_id, duplicate_id)
    cards = await uow.merging.lock_customers([survivor_id, duplicate_id])
    merged = await uow.merging.of_duplicates([survivor_id, duplicate_id])
    decision = rules.start(
        survivor_id,
        duplicate_id,
        of_duplicate=merged.get(duplicate_id),
        of_survivor=merged.get(survivor_id),
        unfinished_into_duplicate=await uow.merging.unfinished_into(duplicate_id),
    )
    if decision is rules.Start.MADE:
        return None
    for wanted in (survivor_id, duplicate_id):
        if wanted not in cards:
            raise NotFound(f"no customer {wanted}")
    return cards


async def _take_profile(
    uow: CustomersUnitOfWork, survivor: Customer, duplicate: Customer, now: datetime
) -> None:
    filled = rules.survivor_profile(survivor, duplicate)
    if filled == survivor:
        return
    version = await uow.customers.save_profile(filled, now)
    assert version is not None, "the survivor keeps its own phone"
    changed = await existing_customer(uow, survivor.id)
    uow.publish(publishing.customer_updated(changed))


async def record_merge_step(
    uow: CustomersUnitOfWork, duplicate_id: uuid.UUID, service: str, figures: Sequence[Figures]
) -> None:
    """A service moved its records of the duplicate: the survivor's figures it sent are
    kept (an older figure never wins), and once every service has answered the
    duplicate is erased everywhere. A redelivered answer changes nothing."""
    merge = await uow.merging.lock(duplicate_id)
    if merge is None:
        return
    for group, values, stamp in figures:
        await uow.figures.apply(merge.survivor_id, group, values, stamp)
    await keep_members(uow, [merge.survivor_id])
    done = rules.step_done(merge, service, datetime.now(UTC))
    if done is not None:
        await uow.merging.save_steps(done)
        if done.finished:
            uow.publish(publishing.customer_deleted(uow.tenant, duplicate_id))
            if await uow.customers.get(merge.survivor_id) is None:
                # Erased while the merge went on: what the services moved to it goes too.
                uow.publish(publishing.customer_deleted(uow.tenant, merge.survivor_id))
    await uow.commit()
