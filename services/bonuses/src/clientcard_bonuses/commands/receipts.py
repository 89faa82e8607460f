"""What receipts do to bonus accounts: a batch of receipts applied in order, a few
queries however many there are."""

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from clientcard_bonuses.commands import publishing
from clientcard_bonuses.commands.accounts import clock
from clientcard_bonuses.commands.merging import to_survivors
from clientcard_bonuses.db.accounts import OpenedAccount
from clientcard_bonuses.db.unit_of_work import BonusesUnitOfWork
from clientcard_bonuses.domain import receipts as rules
from clientcard_bonuses.domain.ledger import Ledger
from clientcard_bonuses.domain.program import LoyaltyProgram
from clientcard_bonuses.domain.receipts import ReceiptBonuses
from clientcard_bonuses.domain.reservations import Reservation
from clientcard_bonuses.metrics import REDEMPTIONS_REFUSED
from clientcard_contracts.enums import ReceiptType, ReservationStatus
from clientcard_contracts.events.receipts import ReceiptRegistered


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
    now = clock()
    program = await uow.programs.get()
    receipts = await to_survivors(uow, receipts)
    batch = _Batch(receipts, await uow.receipts.get_many(_receipt_ids(receipts), for_update=True))
    accounts = await uow.accounts.open_many(
        batch.owners.values(), now, with_lots=batch.owners_taking_bonuses
    )
    for customer_id in batch.owners_taking_bonuses:
        accounts[customer_id].ledger.refresh(now)  # what is spendable by now
    tiers_before = {c: opened.ledger.totals.tier_version for c, opened in accounts.items()}
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
        if ledger.totals.tier_version != tiers_before[ledger.customer_id]:
            changed = publishing.tier_changed(
                uow.tenant, ledger.customer_id, ledger.totals, program, now
            )
            uow.publish(changed)
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
