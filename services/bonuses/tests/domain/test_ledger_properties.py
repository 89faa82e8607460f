"""The ledger's invariants over random sequences of everything that moves bonuses,
reservations by tills included: whatever happens, held bonuses stay on the account."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from clientcard_bonuses.domain.account import Lot, Totals
from clientcard_bonuses.domain.ledger import InsufficientBalance, Ledger
from clientcard_bonuses.domain.money import ZERO
from clientcard_bonuses.domain.program import LoyaltyProgram
from clientcard_bonuses.domain.receipts import ReceiptBonuses, Sale, apply_return, apply_sale
from clientcard_contracts.enums import BonusEvent, BonusOperationType

START = datetime(2026, 1, 1, tzinfo=UTC)
PROGRAM = LoyaltyProgram(
    accrual_percent=Decimal("7.50"),
    max_redeem_percent=Decimal("50.00"),
    expiry_days=30,
    welcome_bonus=Decimal("100.00"),
)

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000.00"), places=2)
shares = st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("1"), places=6)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = START
        self.ledger = Ledger(uuid.uuid4(), Totals(), lots=[])
        self.sales: list[tuple[ReceiptBonuses, Decimal]] = []  # each sale, returned so far
        self.holds: list[Decimal] = []  # what each held reservation set aside

    def _tick(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now

    @rule(amount=amounts, never_expires=st.booleans())
    def accrue(self, amount: Decimal, never_expires: bool) -> None:
        now = self._tick()
        expires_at = None if never_expires else PROGRAM.expiry_from(now)
        self.ledger.accrue(amount, BonusEvent.MANUAL, now, expires_at)

    @rule(amount=amounts)
    def write_off(self, amount: Decimal) -> None:
        before = self.ledger.open_lots
        totals, count = self.ledger.totals, len(self.ledger.operations)
        if amount > self.ledger.spendable:
            try:
                self.ledger.write_off(amount, BonusEvent.MANUAL, self._tick())
            except InsufficientBalance:
                assert (self.ledger.totals, len(self.ledger.operations)) == (totals, count)
                assert self.ledger.open_lots == before
                return
            raise AssertionError("a write-off over the balance went through")
        self.ledger.write_off(amount, BonusEvent.MANUAL, self._tick())
        _assert_oldest_taken_first(before, {lot.id: lot for lot in self.ledger.open_lots})

    @rule(total=amounts, spend=amounts, spend_some=st.booleans())
    def purchase(self, total: Decimal, spend: Decimal, spend_some: bool) -> None:
        requested = min(spend, total) if spend_some else ZERO
        now = self._tick()
        sale = Sale(uuid.uuid4(), total, total - requested, requested, now)
        spendable = self.ledger.spendable
        applied = apply_sale(self.ledger, PROGRAM, sale, now, has_account=True)
        allowed = requested <= min(spendable, PROGRAM.redeemable_of(total))
        assert applied.spent == (requested if allowed else ZERO)
        assert (applied.rejection is None) == (allowed or requested == 0)
        self.sales.append((applied, ZERO))

    @precondition(lambda self: bool(self.sales))
    @rule(pick=st.integers(min_value=0), share=shares)
    def return_part(self, pick: int, share: Decimal) -> None:
        index = pick % len(self.sales)
        sale, returned = self.sales[index]
        so_far = min(returned + share, Decimal(1))
        now = self._tick()
        _, sale = apply_return(self.ledger, PROGRAM, uuid.uuid4(), sale, so_far, (now, now))
        assert sale.accrual_reversed <= sale.accrued
        assert sale.spent_refunded <= sale.spent
        if so_far == 1:
            assert sale.spent_refunded == sale.spent
        self.sales[index] = (sale, so_far)

    @rule(amount=amounts)
    def a_till_reserves(self, amount: Decimal) -> None:
        spendable = self.ledger.spendable
        if amount > spendable:
            try:
                self.ledger.hold(amount)
            except InsufficientBalance:
                assert self.ledger.spendable == spendable
                return
            raise AssertionError("a reservation held more than the spendable balance")
        self.ledger.hold(amount)
        self.holds.append(amount)

    @precondition(lambda self: bool(self.holds))
    @rule(pick=st.integers(min_value=0), spend=st.booleans())
    def a_reservation_ends(self, pick: int, spend: bool) -> None:
        amount = self.holds.pop(pick % len(self.holds))
        if spend:
            # Its receipt spends it, whatever else happened to the account meanwhile.
            self.ledger.write_off(amount, BonusEvent.PURCHASE, self._tick(), reserved=True)
        else:
            self.ledger.release(amount)

    @rule(days=st.integers(min_value=0, max_value=40))
    def time_passes_and_lots_burn(self, days: int) -> None:
        self.now += timedelta(days=days)
        before = self.ledger.open_lots
        spendable = self.ledger.spendable
        burned = self.ledger.expire(self.now)
        due = [lot for lot in before if lot.burns_by(self.now)]
        assert all(operation.type is BonusOperationType.EXPIRATION for operation in burned)
        if not self.holds:
            assert [operation.amount for operation in burned] == [lot.remaining for lot in due]
            left = {lot.id: lot.remaining for lot in self.ledger.open_lots}
            assert left == {lot.id: lot.remaining for lot in before if lot not in due}
        # Only what no reservation holds burns.
        burned_total = sum((operation.amount for operation in burned), ZERO)
        assert burned_total == min(spendable, sum((lot.remaining for lot in due), ZERO))

    @invariant()
    def balance_is_the_ledger_the_totals_and_the_open_lots(self) -> None:
        ledger, totals = self.ledger, self.ledger.totals
        assert totals.balance >= 0
        assert totals.balance == totals.accrued - totals.spent - totals.expired
        assert totals.balance == sum((lot.remaining for lot in ledger.open_lots), ZERO)
        assert totals.balance == sum((op.signed_amount for op in ledger.operations), ZERO)
        assert totals.version == len(ledger.operations)
        assert totals.reserved == sum(self.holds, ZERO) <= totals.balance
        assert all(lot.remaining >= 0 for lot in ledger.open_lots)
        # What the customers service lists "bonuses burning soon" by.
        expiries = [lot.expires_at for lot in ledger.open_lots if lot.expires_at is not None]
        assert totals.next_expiry_at == min(expiries, default=None)
        # What the reminder before they burn names.
        first = min(expiries, default=None)
        burning = [lot.remaining for lot in ledger.open_lots if first and lot.expires_at == first]
        assert totals.next_expiry_amount == (sum(burning, ZERO) if expiries else None)

    @invariant()
    def each_operation_states_the_balance_after_it(self) -> None:
        running = ZERO
        for number, operation in enumerate(self.ledger.operations, start=1):
            running += operation.signed_amount
            assert operation.balance_after == running >= 0
            assert operation.number == number


def _assert_oldest_taken_first(before: list[Lot], after: dict[uuid.UUID, Lot]) -> None:
    """The lots a write-off touched are the oldest open ones, all emptied but the last."""
    touched = [i for i, lot in enumerate(before) if after.get(lot.id) != lot]
    assert touched == list(range(len(touched)))
    for i in touched[:-1]:
        assert before[i].id not in after


TestLedger = LedgerMachine.TestCase
TestLedger.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
