"""What changes bonus accounts: each function one change, committed with its events.

Every change of an account opens it under its row lock first (see `db.accounts`), so the
balance seen by a rule is the balance the change is stored against.
"""

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from clientcard_bonuses.db.accounts import OpenedAccount
from clientcard_bonuses.db.unit_of_work import BonusesUnitOfWork
from clientcard_bonuses.domain import manual, reservations
from clientcard_bonuses.domain import receipts as rules
from clientcard_bonuses.domain.ledger import InsufficientBalance, Ledger, Note, Operation, Totals
from clientcard_bonuses.domain.program import LoyaltyProgram, ProgramChanges
from clientcard_bonuses.domain.receipts import ReceiptBonuses
from clientcard_bonuses.domain.records import Quote
from clientcard_bonuses.domain.reservations import Reservation
from clientcard_bonuses.events import publishing
from clientcard_bonuses.metrics import REDEMPTIONS_REFUSED
from clientcard_contracts.enums import BonusEvent, ReceiptType, ReservationStatus
from clientcard_contracts.events.receipts import ReceiptRegistered
from clientcard_kit.errors import InvalidInput, NotFound


def _now() -> datetime:
    return datetime.now(UTC)


async def update_loyalty_program(
    uow: BonusesUnitOfWork, changes: ProgramChanges, author: str
) -> LoyaltyProgram:
    program = changes.applied_to(await uow.programs.get(for_update=True))
    await uow.programs.save(program, author, _now())
    await uow.commit()
    return program


async def accrue_bonuses(
    uow: BonusesUnitOfWork,
    customer_id: uuid.UUID,
    amount: Decimal,
    comment: str | None,
    author: str,
) -> Operation:
    amount, note = (
        manual.manual_amount(amount),
        Note(comment=manual.comment(comment), author=author),
    )
    now = _now()
    program = await uow.programs.get()
    ledger = (await uow.accounts.open(customer_id, now, with_lots=False)).ledger
    operation = ledger.accrue(amount, BonusEvent.MANUAL, now, program.expiry_from(now), note)
    await _save(uow, ledger, now)
    await uow.commit()
    return operation


async def write_off_bonuses(
    uow: BonusesUnitOfWork,
    customer_id: uuid.UUID,
    amount: Decimal,
    comment: str | None,
    author: str,
) -> Operation:
    amount, note = (
        manual.manual_amount(amount),
        Note(comment=manual.comment(comment), author=author),
    )
    now = _now()
    ledger = (await uow.accounts.open(customer_id, now, with_lots=True)).ledger
    try:
        operation = ledger.write_off(amount, BonusEvent.MANUAL, now, note)
    except InsufficientBalance as refused:
        raise InvalidInput(
            "amount",
            f"{refused.requested} is more than the {refused.balance} that may be written off"
            " (the balance less what tills hold reserved)",
        ) from None
    await _save(uow, ledger, now)
    await uow.commit()
    return operation


async def quote(uow: BonusesUnitOfWork, customer_id: uuid.UUID, total: Decimal) -> Quote:
    """What a till may offer a customer before a sale of `total`."""
    program = await uow.programs.get()
    totals = (await uow.accounts.totals([customer_id])).get(customer_id) or Totals()
    checked = reservations.checked_total(total)
    return Quote.of(program, totals.balance, totals.spendable, checked)


async def reserve_bonuses(
    uow: BonusesUnitOfWork,
    customer_id: uuid.UUID,
    total: Decimal,
    amount: Decimal,
    ttl_seconds: int,
) -> Reservation:
    """Hold bonuses for a sale at the till; nobody else can spend them while held."""
    now = _now()
    program = await uow.programs.get()
    ledger = (await uow.accounts.open(customer_id, now, with_lots=False)).ledger
    reservation = reservations.reserve(ledger, program, total, amount, ttl_seconds, now)
    await uow.reservations.add(reservation)
    await _save(uow, ledger, now)
    uow.publish(publishing.reservation_changed(uow.tenant, reservation, now))
    await uow.commit()
    return reservation


async def release_bonus_reservation(
    uow: BonusesUnitOfWork, reservation_id: uuid.UUID
) -> Reservation:
    """Give held bonuses back; releasing one that no longer holds anything changes nothing."""
    now = _now()
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
    await _save(uow, ledger, now)
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


async def welcome(uow: BonusesUnitOfWork, customer_id: uuid.UUID) -> None:
    """Open the account of a newly registered customer with the welcome bonus, once."""
    now = _now()
    program = await uow.programs.get()
    opened = await uow.accounts.open(customer_id, now, with_lots=False)
    if opened.welcomed:
        return
    ledger = opened.ledger
    if program.welcome_bonus:
        expires_at = program.expiry_from(now)
        ledger.accrue(program.welcome_bonus, BonusEvent.WELCOME, now, expires_at)
    await _save(uow, ledger, now, welcomed=True)
    await uow.commit()


async def erase(uow: BonusesUnitOfWork, customer_id: uuid.UUID) -> None:
    await uow.accounts.remove(customer_id)
    await uow.commit()


async def apply_receipt(uow: BonusesUnitOfWork, receipt: ReceiptRegistered) -> bool:
    """Spend and accrue for a sale, reverse for a return; False if the receipt was applied."""
    applied = await apply_receipts(uow, [receipt])
    await uow.commit()
    return applied == 1


async def apply_receipts(uow: BonusesUnitOfWork, receipts: Sequence[ReceiptRegistered]) -> int:
    """Apply receipts in their order, a few queries however many; returns how many were new.

    The sales being returned and then the accounts are locked before any rule runs. A
    receipt applied before is skipped, so each receipt moves bonuses once whatever the
    event ids it arrives with; should two deliveries of a new receipt race, its primary key
    refuses the second, whose batch is then retried and finds it applied.
    """
    now = _now()
    program = await uow.programs.get()
    batch = _Batch(receipts, await uow.receipts.get_many(_receipt_ids(receipts), for_update=True))
    accounts = await uow.accounts.open_many(
        batch.owners.values(), now, with_lots=batch.owners_taking_bonuses
    )
    # Reservations after their accounts, as every path that changes them locks them.
    batch.reservations = await uow.reservations.get_many(
        (r.bonus_reservation_id for r in receipts if r.bonus_reservation_id), for_update=True
    )
    applied = batch.apply(program, accounts, now)
    await uow.receipts.add_many(batch.new.values(), now)
    await uow.receipts.save_returns_of(batch.returned_sales.values())
    await uow.reservations.save_many(list(batch.ended.values()))
    ledgers = [opened.ledger for opened in accounts.values()]
    await uow.accounts.save_many(ledgers, now)
    for ledger in ledgers:
        for event in publishing.transactions_recorded(uow.tenant, ledger):
            uow.publish(event)
    for reservation in batch.ended.values():
        uow.publish(publishing.reservation_changed(uow.tenant, reservation, now))
    for record, balance_after in applied:
        uow.publish(publishing.receipt_bonuses_applied(uow.tenant, record, balance_after, now))
        if record.rejection is not None:
            REDEMPTIONS_REFUSED.labels(record.rejection.reason.value).inc()
    return len(applied)


def _receipt_ids(receipts: Sequence[ReceiptRegistered]) -> list[uuid.UUID]:
    ids = [receipt.receipt_id for receipt in receipts]
    return ids + [r.original_receipt_id for r in receipts if r.original_receipt_id is not None]


class _Batch:
    """Receipts being applied together, with what bonuses knew of them and their sales."""

    def __init__(
        self, receipts: Sequence[ReceiptRegistered], known: dict[uuid.UUID, ReceiptBonuses]
    ) -> None:
        self.receipts = receipts
        self.known = known
        self.new: dict[uuid.UUID, ReceiptBonuses] = {}
        self.returned_sales: dict[uuid.UUID, ReceiptBonuses] = {}
        # The reservations the receipts name, as they stand after each receipt.
        self.reservations: dict[uuid.UUID, Reservation] = {}
        self.ended: dict[uuid.UUID, Reservation] = {}
        sold_to = {r.receipt_id: r.customer_id for r in receipts if r.type is ReceiptType.SALE}
        sold_to.update(
            (sale.receipt_id, sale.customer_id)
            for sale in known.values()
            if sale.type is ReceiptType.SALE
        )
        # A return moves the bonuses of the account its sale moved, whoever it names.
        self.owners = {
            r.receipt_id: sold_to.get(r.original_receipt_id, r.customer_id)
            if r.original_receipt_id is not None
            else r.customer_id
            for r in receipts
        }
        self.owners_taking_bonuses = {
            self.owners[r.receipt_id]
            for r in receipts
            if r.type is ReceiptType.RETURN or r.bonuses_spent > 0
        }

    def apply(
        self, program: LoyaltyProgram, accounts: dict[uuid.UUID, OpenedAccount], now: datetime
    ) -> list[tuple[ReceiptBonuses, Decimal]]:
        existed = {customer_id: opened.existed for customer_id, opened in accounts.items()}
        applied = []
        for receipt in self.receipts:
            if receipt.receipt_id in self.known:
                continue
            ledger = accounts[self.owners[receipt.receipt_id]].ledger
            if receipt.type is ReceiptType.SALE:
                sale = rules.Sale(
                    receipt.receipt_id,
                    receipt.total,
                    receipt.paid,
                    receipt.bonuses_spent,
                    receipt.purchased_at,
                    self._reservation(receipt),
                )
                sale = self._settle_reservation(sale, receipt, ledger, now)
                record = rules.apply_sale(
                    ledger, program, sale, now, has_account=existed[ledger.customer_id]
                )
            else:
                record = self._return(receipt, ledger, program, now)
            existed[ledger.customer_id] = True
            self.known[record.receipt_id] = self.new[record.receipt_id] = record
            applied.append((record, ledger.balance))
        return applied

    def _reservation(self, receipt: ReceiptRegistered) -> Reservation | None:
        wanted = receipt.bonus_reservation_id
        return self.reservations.get(wanted) if wanted else None

    def _settle_reservation(
        self, sale: rules.Sale, receipt: ReceiptRegistered, ledger: Ledger, now: datetime
    ) -> rules.Sale:
        """The sale's own held reservation ends with it: COMMITTED when the sale spends
        exactly it, otherwise RELEASED before the sale's spend meets the rules."""
        reservation = sale.reservation
        if reservation is None or not reservation.held:
            return sale
        if reservation.customer_id != ledger.customer_id:
            return sale  # another customer's: not this sale's to end
        receipt_named = (receipt.receipt_id, receipt.number)
        if rules.uses_reservation(sale, ledger.customer_id):
            committed = reservation.finished(ReservationStatus.COMMITTED, now, receipt_named)
            self.reservations[committed.id] = self.ended[committed.id] = committed
            return sale  # spent from the hold by the sale's rules
        ledger.release(reservation.amount)
        released = reservation.finished(ReservationStatus.RELEASED, now, receipt_named)
        self.reservations[released.id] = self.ended[released.id] = released
        return replace(sale, reservation=released)

    def _return(
        self, receipt: ReceiptRegistered, ledger: Ledger, program: LoyaltyProgram, now: datetime
    ) -> ReceiptBonuses:
        original, share = receipt.original_receipt_id, receipt.returned_share_so_far
        assert original is not None
        assert share is not None
        sale = self.known.get(original)
        if sale is None or sale.type is not ReceiptType.SALE:
            return rules.unknown_sale_return(receipt.receipt_id, ledger.customer_id, original)
        moments = (now, receipt.purchased_at)
        record, sale = rules.apply_return(ledger, program, receipt.receipt_id, sale, share, moments)
        self.known[original] = sale
        # A sale of this same batch is stored with its returns; an older one is updated.
        if original in self.new:
            self.new[original] = sale
        else:
            self.returned_sales[original] = sale
        return record


async def expire_lots(uow: BonusesUnitOfWork, now: datetime, limit: int) -> int:
    """Burn the expired lots of up to `limit` accounts no one else is changing.

    Accounts another transaction holds are skipped (their turn comes at the next run), and
    lots are read after the lock, so two runs at once can never burn a lot twice.
    """
    due = await uow.accounts.customers_with_expired_lots(now, limit)
    burned = 0
    for customer_id, totals in await uow.accounts.lock_existing(due):
        ledger = Ledger(customer_id, totals, await uow.accounts.open_lots(customer_id))
        burned += len(ledger.expire(now))
        await _save(uow, ledger, now)
    await uow.commit()
    return burned


async def _save(
    uow: BonusesUnitOfWork, ledger: Ledger, now: datetime, *, welcomed: bool | None = None
) -> None:
    await uow.accounts.save(ledger, now, welcomed=welcomed)
    for event in publishing.transactions_recorded(uow.tenant, ledger):
        uow.publish(event)
