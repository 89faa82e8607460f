"""What changes bonus accounts: each function one change, committed with its events.

Every change of an account opens it under its row lock first (see `db.accounts`), so the
balance seen by a rule is the balance the change is stored against.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from clientcard_bonuses.db.accounts import OpenedAccount
from clientcard_bonuses.db.unit_of_work import BonusesUnitOfWork
from clientcard_bonuses.domain import manual
from clientcard_bonuses.domain import receipts as rules
from clientcard_bonuses.domain.ledger import InsufficientBalance, Ledger, Note, Operation
from clientcard_bonuses.domain.program import LoyaltyProgram, ProgramChanges
from clientcard_bonuses.domain.receipts import ReceiptBonuses
from clientcard_bonuses.events import publishing
from clientcard_contracts.enums import BonusEvent, ReceiptType
from clientcard_contracts.events.receipts import ReceiptRegistered
from clientcard_kit.errors import InvalidInput


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
            "amount", f"{refused.requested} is more than the balance of {refused.balance}"
        ) from None
    await _save(uow, ledger, now)
    await uow.commit()
    return operation


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
    applied = batch.apply(program, accounts, now)
    await uow.receipts.add_many(batch.new.values(), now)
    await uow.receipts.save_returns_of(batch.returned_sales.values())
    ledgers = [opened.ledger for opened in accounts.values()]
    await uow.accounts.save_many(ledgers, now)
    for ledger in ledgers:
        for event in publishing.transactions_recorded(uow.tenant, ledger):
            uow.publish(event)
    for record, balance_after in applied:
        uow.publish(publishing.receipt_bonuses_applied(uow.tenant, record, balance_after, now))
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
                    receipt.receipt_id, receipt.total, receipt.paid, receipt.bonuses_spent
                )
                record = rules.apply_sale(
                    ledger, program, sale, now, has_account=existed[ledger.customer_id]
                )
            else:
                record = self._return(receipt, ledger, program, now)
            existed[ledger.customer_id] = True
            self.known[record.receipt_id] = self.new[record.receipt_id] = record
            applied.append((record, ledger.balance))
        return applied

    def _return(
        self, receipt: ReceiptRegistered, ledger: Ledger, program: LoyaltyProgram, now: datetime
    ) -> ReceiptBonuses:
        original, share = receipt.original_receipt_id, receipt.returned_share_so_far
        assert original is not None
        assert share is not None
        sale = self.known.get(original)
        if sale is None or sale.type is not ReceiptType.SALE:
            return rules.unknown_sale_return(receipt.receipt_id, ledger.customer_id, original)
        record, sale = rules.apply_return(ledger, program, receipt.receipt_id, sale, share, now)
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
