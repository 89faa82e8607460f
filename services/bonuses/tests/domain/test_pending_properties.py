"""The ledger's invariants with pending lots and tiers, over random sequences of sales,
returns, write-offs, expiry and days passing:

    balance = available + pending = the sum of the open lots, none of them below zero;
    pending = what the lots not yet spendable hold; write-offs take lots in the order
    they became spendable; the spend is the money of the sales less their returns, and
    the tier is the one it reaches.
"""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from clientcard_bonuses.domain.account import Totals
from clientcard_bonuses.domain.ledger import InsufficientBalance, Ledger
from clientcard_bonuses.domain.money import ZERO
from clientcard_bonuses.domain.program import LoyaltyProgram
from clientcard_bonuses.domain.receipts import ReceiptBonuses, Sale, apply_return, apply_sale
from clientcard_bonuses.domain.tiers import Tier, tier_for
from clientcard_contracts.enums import BonusEvent

START = datetime(2026, 1, 1, tzinfo=UTC)
TIERS = (
    Tier(uuid.uuid4(), "Start", Decimal("0.00"), Decimal("3.00")),
    Tier(uuid.uuid4(), "Silver", Decimal("2000.00"), Decimal("6.00")),
    Tier(uuid.uuid4(), "Gold", Decimal("8000.00"), Decimal("9.00")),
)
PROGRAM = LoyaltyProgram(
    accrual_percent=Decimal("5.00"),
    max_redeem_percent=Decimal("50.00"),
    expiry_days=60,
    pending_days=7,
    tiers=TIERS,
)

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3000.00"), places=2)
shares = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1"), places=2)


class PendingLedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = START
        self.ledger = Ledger(uuid.uuid4(), Totals(), lots=[])
        self.sales: list[ReceiptBonuses] = []

    @rule(paid=amounts, spent=amounts)
    def sell(self, paid: Decimal, spent: Decimal) -> None:
        total = paid + spent
        sale = Sale(uuid.uuid4(), total, paid, spent, self.now)
        self.sales.append(apply_sale(self.ledger, PROGRAM, sale, self.now, has_account=True))

    @precondition(lambda self: bool(self.sales))
    @rule(data=st.data(), share=shares)
    def give_back(self, data: st.DataObject, share: Decimal) -> None:
        index = data.draw(st.integers(0, len(self.sales) - 1))
        sale = self.sales[index]
        so_far = min(Decimal(1), share + sale.paid_returned / max(sale.paid, Decimal("0.01")))
        moments = (self.now, self.now)
        _, self.sales[index] = apply_return(
            self.ledger, PROGRAM, uuid.uuid4(), sale, so_far, moments
        )

    @rule(amount=amounts)
    def write_off(self, amount: Decimal) -> None:
        self.ledger.refresh(self.now)
        spendable = [lot for lot in self.ledger.open_lots if not lot.pending_at(self.now)]
        try:
            self.ledger.write_off(amount, BonusEvent.MANUAL, self.now)
        except InsufficientBalance:
            assert amount > self.ledger.spendable
            return
        after = {lot.id: lot.remaining for lot in self.ledger.open_lots}
        touched = [i for i, lot in enumerate(spendable) if after.get(lot.id, ZERO) != lot.remaining]
        # The lots taken from are the first to have become spendable, all but the last
        # of them emptied.
        assert touched == list(range(len(touched)))
        assert all(after.get(lot.id, ZERO) == 0 for lot in spendable[: len(touched) - 1])

    @rule(days=st.integers(1, 20))
    def days_pass(self, days: int) -> None:
        self.now += timedelta(days=days)

    @rule()
    def expire(self) -> None:
        self.ledger.expire(self.now)

    @invariant()
    def balance_is_available_and_pending_held_by_the_lots(self) -> None:
        ledger = self.ledger
        ledger.refresh(self.now)
        totals = ledger.totals
        lots = ledger.open_lots
        assert totals.balance == sum((lot.remaining for lot in lots), ZERO)
        waiting = sum((lot.remaining for lot in lots if lot.pending_at(self.now)), ZERO)
        assert totals.pending == waiting
        assert totals.available + totals.pending == totals.balance
        assert min(totals.balance, totals.pending, totals.available) >= 0
        assert all(lot.remaining >= 0 for lot in ledger._loaded_lots())

    @invariant()
    def the_tier_is_the_one_the_spend_reaches(self) -> None:
        totals = self.ledger.totals
        if not self.sales:
            return  # placed by the first purchase
        window_start = self.now - timedelta(days=365)
        spend = sum(
            (
                s.paid - s.paid_returned
                for s in self.sales
                if s.purchased_at and s.purchased_at > window_start
            ),
            ZERO,
        )
        if self.now - START < timedelta(days=365):  # nothing has left the window yet
            assert totals.spend == spend
        reached = tier_for(TIERS, totals.spend)
        assert totals.tier_id == (reached.id if reached else None)


PendingLedgerMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=40)
test_pending_ledger = PendingLedgerMachine.TestCase
