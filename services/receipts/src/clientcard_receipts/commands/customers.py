"""What customers do to receipts: a registration links the receipts that waited for it,
an erasure detaches them, and receipts that waited too long for an id leave."""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime

from clientcard_kit.internal import CustomerDirectory
from clientcard_receipts.commands.named_customers import remember
from clientcard_receipts.commands.registration import announce
from clientcard_receipts.db.unit_of_work import ReceiptsUnitOfWork
from clientcard_receipts.domain import documents, rules
from clientcard_receipts.domain.records import Receipt


async def learn_customer(
    uow: ReceiptsUnitOfWork, customer_id: uuid.UUID, phone: str, version: int, now: datetime
) -> int:
    """Learn a customer's phone and link the receipts that waited for it (by that phone or
    by the customer's id); returns how many."""
    await uow.known_customers.hold([customer_id], [phone])
    await uow.known_customers.remember(customer_id, phone, version)
    # An event older than what is known (the customers service answered with a later
    # phone) gives the customer no receipts of a phone it no longer has.
    current = await uow.known_customers.phone_of(customer_id)
    waiting = await uow.customer_links.waiting_for(phone if current == phone else None, customer_id)
    if waiting:
        await uow.customer_links.link([receipt.id for receipt in waiting], customer_id)
        linked = [
            replace(r, customer_id=customer_id, waiting_phone=None, waiting_customer_id=None)
            for r in waiting
        ]
        await announce(uow, linked, now)
    await uow.commit()
    return len(waiting)


async def find_customer(
    uow: ReceiptsUnitOfWork, named: rules.CustomerName, directory: CustomerDirectory
) -> uuid.UUID | None:
    """The customer a till names by id or phone, if there is one; asks the customers
    service about one the projection does not know (ServiceUnavailable if it cannot say)."""
    if named.id is not None:
        # A duplicate's id, kept by the till after a merge, stands for the survivor.
        survivors = await uow.merged_away.survivors_of([named.id])
        customer_id = survivors.get(named.id, named.id)
        if customer_id in await uow.known_customers.existing([customer_id]):
            return customer_id
        found = await directory.lookup(uow.tenant, ids=[customer_id])
        await remember(uow, found)
        await uow.commit()
        customer_id = found.survivors.get(customer_id, customer_id)
        return customer_id if customer_id in found.ids else None
    assert named.phone is not None
    known = await uow.known_customers.by_phones([named.phone])
    if named.phone in known:
        return known[named.phone]
    found = await directory.lookup(uow.tenant, phones=[named.phone])
    await remember(uow, found)
    await uow.commit()
    return found.by_phone.get(named.phone)


@dataclass(frozen=True, slots=True)
class GivenUp:
    """A receipt that waited too long for its customer, as the POS document it was."""

    receipt: Receipt
    document: dict[str, object]
    reason: str


async def give_up_waiting(
    uow: ReceiptsUnitOfWork,
    before: datetime,
    limit: int,
    dead_letter: Callable[[list[GivenUp]], Awaitable[None]],
) -> int:
    """Send receipts waiting for a customer id since before `before` to the dead letters.

    They were never published, so nothing else knows them: they leave this database only
    once `dead_letter` has sent them (a crash in between sends them twice, and a replay
    of both stores one). A waiting return goes with its sale. Returns how many left.
    """
    due = await uow.customer_links.waiting_since(before, limit)
    if not due:
        return 0
    returns = await uow.customer_links.waiting_returns_of([r.id for r in due])
    leaving = {r.id: r for r in [*due, *returns]}
    originals = await uow.customer_links.numbers_of(
        [r.original_receipt_id for r in leaving.values() if r.original_receipt_id]
    )
    given_up = [
        GivenUp(
            receipt,
            documents.pos_document(receipt, originals.get(receipt.original_receipt_id or _NONE)),
            _waited_reason(receipt),
        )
        for receipt in leaving.values()
    ]
    await dead_letter(given_up)
    await uow.customer_links.remove(list(leaving))
    await uow.commit()
    return len(given_up)


_NONE = uuid.UUID(int=0)


def _waited_reason(receipt: Receipt) -> str:
    named = receipt.waiting_customer_id or receipt.waiting_phone
    return (
        f"customer.id: no customer {named} registered within the waiting time "
        f"(received {receipt.registered_at.isoformat()})"
    )


async def erase_customer(uow: ReceiptsUnitOfWork, customer_id: uuid.UUID) -> None:
    """Erasure: the receipts stay for the tenant's figures but no longer name anyone."""
    known_phone = await uow.known_customers.phone_of(customer_id)
    await uow.known_customers.hold([customer_id], [known_phone] if known_phone else [])
    phone = await uow.known_customers.forget(customer_id)
    await uow.customer_links.forget_waiting(phone, customer_id)
    await uow.customer_links.detach(customer_id)
    await uow.stats.remove(customer_id)
    await uow.commit()
