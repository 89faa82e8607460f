"""The till's redemption: quotes, reservations held out of the spendable balance, their
release and their expiry."""

import uuid
from datetime import datetime
from decimal import Decimal

from clientcard_bonuses.commands import publishing
from clientcard_bonuses.commands.accounts import clock, save
from clientcard_bonuses.db.unit_of_work import BonusesUnitOfWork
from clientcard_bonuses.domain import reservations
from clientcard_bonuses.domain.account import Totals
from clientcard_bonuses.domain.ledger import Ledger
from clientcard_bonuses.domain.records import Quote
from clientcard_bonuses.domain.reservations import Reservation
from clientcard_contracts.enums import ReservationStatus
from clientcard_kit.errors import InvalidInput, NotFound


async def quote(uow: BonusesUnitOfWork, customer_id: uuid.UUID, total: Decimal) -> Quote:
    """What a till may offer a customer before a sale of `total`."""
    program = await uow.programs.get()
    totals = (await uow.accounts.totals([customer_id])).get(customer_id) or Totals()
    checked = reservations.checked_total(total)
    now = clock()
    if totals.next_available_at is not None and totals.next_available_at <= now:
        # Pending lots have freed up since the job last looked: count them as they are.
        ledger = Ledger(customer_id, totals, await uow.accounts.open_lots(customer_id))
        ledger.refresh(now)
        totals = ledger.totals
    return Quote.of(program, totals.balance, totals.spendable, checked, totals.tier_id)


async def reserve_bonuses(
    uow: BonusesUnitOfWork,
    customer_id: uuid.UUID,
    total: Decimal,
    amount: Decimal,
    ttl_seconds: int,
) -> Reservation:
    """Hold bonuses for a sale at the till; nobody else can spend them while held."""
    now = clock()
    program = await uow.programs.get()
    ledger = (await uow.accounts.open(customer_id, now, with_lots=True)).ledger
    ledger.refresh(now)  # pending lots freed by now may be reserved
    reservation = reservations.reserve(ledger, program, total, amount, ttl_seconds, now)
    await uow.reservations.add(reservation)
    await save(uow, ledger, now)
    uow.publish(publishing.reservation_changed(uow.tenant, reservation, now))
    await uow.commit()
    return reservation


async def release_bonus_reservation(
    uow: BonusesUnitOfWork, reservation_id: uuid.UUID
) -> Reservation:
    """Give held bonuses back; releasing one that no longer holds anything changes nothing."""
    now = clock()
    found = await uow.reservations.get(reservation_id)
    if found is None:
        raise NotFound(f"no bonus reservation {reservation_id}")
    if found.status is ReservationStatus.COMMITTED:
        raise InvalidInput(
            "id", f"the reservation was spent by receipt {found.receipt_number}: nothing to release"
        )
    if not found.held:
        return found
    # The account first, then the reservation again: it may have ended meanwhile.
    ledger = (await uow.accounts.open(found.customer_id, now, with_lots=False)).ledger
    reservation = await uow.reservations.get(reservation_id, for_update=True)
    assert reservation is not None
    if not reservation.held:
        return reservation
    released = reservations.end(ledger, reservation, ReservationStatus.RELEASED, now)
    await uow.reservations.save_many([released])
    await save(uow, ledger, now)
    uow.publish(publishing.reservation_changed(uow.tenant, released, now))
    await uow.commit()
    return released


async def expire_reservations(uow: BonusesUnitOfWork, now: datetime, limit: int) -> int:
    """End held reservations past their time; returns how many.

    Accounts another transaction holds are skipped until the next run, and reservations
    are read again under their lock, so several replicas at once expire each one once.
    """
    due = await uow.reservations.due(now, limit)
    locked = {
        customer_id
        for customer_id, _ in await uow.accounts.lock_existing(
            sorted({customer_id for customer_id, _ in due})
        )
    }
    wanted = [reservation_id for customer_id, reservation_id in due if customer_id in locked]
    found = await uow.reservations.get_many(wanted, for_update=True)
    held = [r for r in found.values() if r.held and r.expires_at <= now]
    if not held:
        return 0
    accounts = await uow.accounts.open_many({r.customer_id for r in held}, now, with_lots=())
    ended = [
        reservations.end(accounts[r.customer_id].ledger, r, ReservationStatus.EXPIRED, now)
        for r in held
    ]
    await uow.reservations.save_many(ended)
    await uow.accounts.save_many([opened.ledger for opened in accounts.values()], now)
    for reservation in ended:
        uow.publish(publishing.reservation_changed(uow.tenant, reservation, now))
    await uow.commit()
    return len(ended)
