"""One customer's bonus account: lots of accrued bonuses and the ledger of operations.

Every accrual opens a lot that remembers how much of it is left and when it burns.
A write-off takes from the oldest open lots first; expiry burns what is left of each lot
whose time has come. Each change appends one operation to the ledger, and the account's
totals follow the operations, so at every moment

    balance = accrued - spent - expired = the sum of the open lots' remainders >= reserved.

Part of the balance may be held by reservations a till made before closing a sale
(`reserved`): only the rest is spendable by anything but the receipt that carries the
reservation, taken back by a return, or burned. An expired lot whose bonuses are held
burns at the first expiry run after the hold ends.

A lot with a later `available_at` is pending until then: on the balance, not spendable.
Write-offs take lots as they became spendable; a return takes pending bonuses first.

An operation has two moments: `occurred_at`, when it happened for the customer (a
purchase's is the receipt's `purchasedAt`), and `recorded_at`, when the ledger wrote it.
Lots are dated and expire by the first.

`Ledger` applies changes to an account in memory; the database layer loads it under a
row lock, hands it to the rules and stores what it added and changed.
"""

import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from clientcard_bonuses.domain.account import (
    InsufficientBalance,
    Lot,
    Note,
    Operation,
    ReservationShortfall,
    Totals,
)
from clientcard_bonuses.domain.money import ZERO
from clientcard_contracts.enums import BonusEvent, BonusOperationType

__all__ = ["InsufficientBalance", "Ledger", "ReservationShortfall"]
# When an operation was recorded and when it happened for the customer (None: the same).
Moments = tuple[datetime, datetime | None]
OperationId = uuid.UUID | None


class Ledger:
    """An account being changed. Lots are loaded only for changes that take from them."""

    def __init__(
        self, customer_id: uuid.UUID, totals: Totals, lots: Iterable[Lot] | None = None
    ) -> None:
        self.customer_id = customer_id
        self.totals = totals
        self._lots: list[Lot] | None = (
            sorted(lots, key=Lot.availability) if lots is not None else None
        )
        self.operations: list[Operation] = []
        # The account's totals right after each operation, in the order of `operations`.
        self.totals_after: list[Totals] = []
        self.new_lots: list[Lot] = []
        self.changed_lots: dict[uuid.UUID, Lot] = {}

    @property
    def balance(self) -> Decimal:
        return self.totals.balance

    @property
    def spendable(self) -> Decimal:
        """What may be spent, written off or taken back without touching held bonuses."""
        return self.totals.spendable

    @property
    def open_lots(self) -> list[Lot]:
        """The lots with bonuses left, the first to become spendable first."""
        return [lot for lot in self._loaded_lots() if lot.remaining > 0]

    def refresh(self, now: datetime) -> None:
        """Count as pending only the lots not yet spendable at `now` (others were freed)."""
        waiting = [lot for lot in self.open_lots if lot.pending_at(now)]
        self.totals = replace(
            self.totals,
            pending=sum((lot.remaining for lot in waiting), ZERO),
            next_available_at=min((lot.available_from for lot in waiting), default=None),
        )

    def accrue(
        self,
        amount: Decimal,
        event: BonusEvent,
        now: datetime,
        expires_at: datetime | None,
        note: Note = Note(),
        *,
        occurred_at: datetime | None = None,
        operation_id: uuid.UUID | None = None,
        available_at: datetime | None = None,
    ) -> Operation:
        """Open a lot; `occurred_at` (default `now`) dates the lot and the operation.

        A lot `available_at` a later moment than `now` is pending until then.
        """
        _positive(amount)
        lot = Lot(uuid.uuid4(), occurred_at or now, expires_at, amount, amount, available_at)
        self.new_lots.append(lot)
        if self._lots is not None:
            self._lots = sorted([*self._lots, lot], key=Lot.availability)
        if lot.pending_at(now):
            self.totals = self.totals.with_pending(lot)
        totals = self.totals
        self.totals = _next_expiry_with(
            replace(totals, balance=totals.balance + amount, accrued=totals.accrued + amount),
            expires_at,
            amount,
        )
        moments = (now, occurred_at)
        accrual = BonusOperationType.ACCRUAL
        return self._record(accrual, event, amount, moments, note, lot, operation_id)

    def write_off(
        self,
        amount: Decimal,
        event: BonusEvent,
        now: datetime,
        note: Note = Note(),
        *,
        occurred_at: datetime | None = None,
        reserved: bool = False,
        operation_id: uuid.UUID | None = None,
    ) -> Operation:
        """Take `amount` from the oldest lots; InsufficientBalance changes nothing.

        Without `reserved` only the spendable part of the balance may be taken; with it
        the amount comes out of what reservations hold (a till's sale spending its own).
        """
        _positive(amount)
        self.refresh(now)
        if reserved:
            self.release(amount)
        elif amount > self.spendable:
            raise InsufficientBalance(amount, self.spendable)
        self._take(amount, [lot for lot in self.open_lots if not lot.pending_at(now)])
        return self._written_off(amount, event, (now, occurred_at), note, operation_id)

    def take_back(
        self, amount: Decimal, now: datetime, note: Note, occurred_at: datetime
    ) -> Operation:
        """A return's taking back of an accrual: pending bonuses first, latest first."""
        _positive(amount)
        self.refresh(now)
        if amount > self.spendable + self.totals.pending:
            raise InsufficientBalance(amount, self.spendable + self.totals.pending)
        waiting = [lot for lot in reversed(self.open_lots) if lot.pending_at(now)]
        from_pending = min(amount, self.totals.pending)
        self._take(from_pending, waiting)
        spendable = [lot for lot in self.open_lots if not lot.pending_at(now)]
        self._take(amount - from_pending, spendable)
        self.refresh(now)
        return self._written_off(amount, BonusEvent.RETURN, (now, occurred_at), note, None)

    def _take(self, amount: Decimal, lots: list[Lot]) -> None:
        left = amount
        for lot in lots:
            if left == 0:
                return
            taken = min(lot.remaining, left)
            self._change(replace(lot, remaining=lot.remaining - taken))
            left -= taken
        if left:
            raise AssertionError("the open lots hold less than the balance")

    def _written_off(
        self, amount: Decimal, event: BonusEvent, moments: Moments, note: Note, made: OperationId
    ) -> Operation:
        totals = self.totals
        self.totals = replace(totals, balance=totals.balance - amount, spent=totals.spent + amount)
        return self._record(
            BonusOperationType.WRITE_OFF, event, amount, moments, note, operation_id=made
        )

    def hold(self, amount: Decimal) -> None:
        """Set `amount` of the spendable balance aside for a reservation."""
        _positive(amount)
        if amount > self.spendable:
            raise InsufficientBalance(amount, self.spendable)
        self.totals = replace(self.totals, reserved=self.totals.reserved + amount)

    def release(self, amount: Decimal) -> None:
        """Give back to the spendable balance what a reservation held."""
        _positive(amount)
        if amount > self.totals.reserved:
            raise ReservationShortfall(f"{amount} is more than the {self.totals.reserved} held")
        self.totals = replace(self.totals, reserved=self.totals.reserved - amount)

    def expire(self, now: datetime) -> list[Operation]:
        """Burn what is left of every lot whose expiry has come: one operation per lot.

        Held bonuses do not burn: a lot burns only as far as the spendable balance goes,
        and the rest of it at a later run, once the reservation has ended.
        """
        burned = []
        self.refresh(now)
        for lot in self.open_lots:
            # A pending lot burns whole: no reservation can hold what is not spendable.
            pending = lot.pending_at(now)
            burnable = lot.remaining if pending else min(lot.remaining, self.spendable)
            if not lot.burns_by(now) or burnable <= 0:
                continue
            self._change(replace(lot, remaining=lot.remaining - burnable))
            totals = self.totals
            self.totals = replace(
                totals,
                balance=totals.balance - burnable,
                expired=totals.expired + burnable,
                pending=totals.pending - burnable if pending else totals.pending,
            )
            burned.append(
                self._record(
                    BonusOperationType.EXPIRATION, BonusEvent.EXPIRY, burnable, (now, None), Note()
                )
            )
        return burned

    def count_purchase(self) -> None:
        self.totals = replace(self.totals, purchases=self.totals.purchases + 1)

    def _loaded_lots(self) -> list[Lot]:
        if self._lots is None:
            raise RuntimeError("this change needs the account's lots: load them")
        return self._lots

    def _change(self, lot: Lot) -> None:
        lots = self._loaded_lots()
        lots[next(i for i, known in enumerate(lots) if known.id == lot.id)] = lot
        if any(new.id == lot.id for new in self.new_lots):
            self.new_lots = [lot if new.id == lot.id else new for new in self.new_lots]
        else:
            self.changed_lots[lot.id] = lot
        # A lot taken from or burned may have been the next to burn.
        expiries = [open_lot.expires_at for open_lot in self.open_lots if open_lot.expires_at]
        next_at = min(expiries, default=None)
        burning = [
            open_lot.remaining for open_lot in self.open_lots if open_lot.expires_at == next_at
        ]
        self.totals = replace(
            self.totals,
            next_expiry_at=next_at,
            next_expiry_amount=sum(burning, Decimal(0)) if next_at else None,
        )

    def _record(
        self,
        type_: BonusOperationType,
        event: BonusEvent,
        amount: Decimal,
        moments: Moments,
        note: Note,
        lot: Lot | None = None,  # an accrual's
        operation_id: uuid.UUID | None = None,
    ) -> Operation:
        now, occurred_at = moments
        self.totals = replace(self.totals, version=self.totals.version + 1)
        operation = Operation(
            id=operation_id or uuid.uuid4(),
            customer_id=self.customer_id,
            number=self.totals.version,
            occurred_at=occurred_at or now,
            type=type_,
            event=event,
            amount=amount,
            balance_after=self.totals.balance,
            receipt_id=note.receipt_id,
            comment=note.comment,
            author=note.author,
            expires_at=lot.expires_at if lot else None,
            recorded_at=now,
            available_at=lot.available_at if lot else None,
        )
        self.operations.append(operation)
        self.totals_after.append(self.totals)
        return operation


def _next_expiry_with(totals: Totals, expires_at: datetime | None, amount: Decimal) -> Totals:
    """The totals once a lot of `amount` burning at `expires_at` is added."""
    known = totals.next_expiry_at
    if expires_at is None or (known is not None and known < expires_at):
        return totals
    if known == expires_at:
        burning = (totals.next_expiry_amount or Decimal(0)) + amount
        return replace(totals, next_expiry_amount=burning)
    return replace(totals, next_expiry_at=expires_at, next_expiry_amount=amount)


def _positive(amount: Decimal) -> None:
    if amount <= 0:
        raise ValueError(f"an operation's amount is above zero, not {amount}")
