"""Storing receipts: `register_receipts` is the one way receipts are stored, whether they
came over Kafka (a batch at a time), over HTTP from a POS or from the `registerReceipt`
mutation (one at a time, through `register_receipt`), so the three paths keep the same
rules and the same deduplication.

A receipt names its customer by id or phone. One this service's projection of
`customers.v1` does not know yet (registered a moment ago, say) is asked of the customers
service itself (`directory`): found, the receipt is linked at once; an id it says is no
customer's is refused; when it cannot answer, the receipt is kept, waiting, and linked
when the registration arrives (a phone nobody has registered waits the same way).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from clientcard_contracts.enums import ReceiptType
from clientcard_contracts.pos import InvalidPosReceipt, PosReceipt, Problem
from clientcard_kit.internal import CustomerDirectory
from clientcard_receipts.commands import publishing
from clientcard_receipts.commands.named_customers import NamedCustomers
from clientcard_receipts.db.receipts import Number
from clientcard_receipts.db.unit_of_work import ReceiptsUnitOfWork
from clientcard_receipts.domain import rules
from clientcard_receipts.domain.records import Receipt, ReceiptItem
from clientcard_receipts.domain.stats import StatsChange


@dataclass(frozen=True, slots=True)
class Registration:
    receipt: Receipt
    # False when the POS had sent this receipt before: nothing was stored or published.
    created: bool


Outcome = Registration | InvalidPosReceipt


class RegistrationRace(Exception):
    """Another transaction stored one of the receipts between our look-up and our insert."""


async def register_receipt(
    uow: ReceiptsUnitOfWork,
    pos: PosReceipt,
    now: datetime,
    directory: CustomerDirectory | None = None,
) -> Registration:
    """Store a receipt once; a resend answers with the receipt stored the first time."""
    try:
        (outcome,) = await register_receipts(uow, [pos], now, directory)
    except RegistrationRace:
        # Nothing of ours was written; looked up again, the receipt is now a resend.
        (outcome,) = await register_receipts(uow, [pos], now, directory)
    if isinstance(outcome, InvalidPosReceipt):
        raise outcome
    return outcome


async def register_receipts(
    uow: ReceiptsUnitOfWork,
    batch: Sequence[PosReceipt],
    now: datetime,
    directory: CustomerDirectory | None = None,
) -> list[Outcome]:
    """Store receipts as if one at a time, in order, with a few queries for them all.

    Each receipt gets its outcome: registered, a resend of one stored before (here or
    earlier in the batch), or refused with every problem; a refused receipt leaves nothing.
    """
    problems = [_consistency(uow.tenant, pos, now) for pos in batch]
    plan = _Plan(
        tenant=uow.tenant,
        now=now,
        known=await uow.receipts.by_numbers(_numbers(batch)),
        customers=await NamedCustomers.load(uow, batch, directory),
    )
    outcomes = [plan.take(pos, found) for pos, found in zip(batch, problems, strict=True)]
    if plan.new:
        if await uow.receipts.add_many(plan.new.values()) != len(plan.new):
            raise RegistrationRace()
        await uow.receipts.set_returned(plan.returned)
        await announce(uow, [receipt for receipt in plan.new.values() if receipt.customer_id], now)
    await uow.commit()
    return outcomes


def _consistency(tenant: str, pos: PosReceipt, now: datetime) -> list[Problem]:
    problems = rules.consistency_problems(pos, now)
    if pos.tenant_id != tenant:
        problems.insert(0, Problem("tenantId", "is not the tenant of the caller"))
    return problems


def _numbers(batch: Sequence[PosReceipt]) -> list[Number]:
    """Every (posId, number) the batch names: its own, and the sales its returns name."""
    numbers = [(pos.pos_id, pos.number) for pos in batch]
    numbers += [(pos.pos_id, pos.original_number) for pos in batch if pos.original_number]
    return numbers


@dataclass
class _Customer:
    id: uuid.UUID | None = None
    waiting_phone: str | None = None
    waiting_id: uuid.UUID | None = None


@dataclass
class _Plan:
    """What a batch stores, decided receipt by receipt against what is known so far."""

    tenant: str
    now: datetime
    known: dict[Number, Receipt]
    customers: NamedCustomers
    new: dict[uuid.UUID, Receipt] = field(default_factory=dict)
    # Sales stored before the batch whose returned total the batch raises.
    returned: dict[uuid.UUID, Decimal] = field(default_factory=dict)

    def take(self, pos: PosReceipt, problems: list[Problem]) -> Outcome:
        if problems:
            return InvalidPosReceipt(problems)
        # A resend is recognised before the checks that depend on what is stored since.
        stored = self.known.get((pos.pos_id, pos.number))
        if stored is not None:
            return Registration(stored, created=False)
        customer = self._customer(pos, problems)
        sale = self._sale(pos, problems)
        if problems:
            return InvalidPosReceipt(problems)
        receipt = _new_receipt(self.tenant, pos, customer, sale, self.now)
        self.known[(pos.pos_id, pos.number)] = receipt
        self.new[receipt.id] = receipt
        if sale is not None:
            self._count_return(sale, receipt.total)
        return Registration(receipt, created=True)

    def _customer(self, pos: PosReceipt, problems: list[Problem]) -> _Customer:
        named = rules.customer_name(pos.customer)
        if isinstance(named, Problem):
            problems.append(named)
            return _Customer()
        if named.id is not None:
            customer_id = self.customers.customer_of(named.id)
            if customer_id in self.customers.ids:
                return _Customer(id=customer_id)
            if customer_id in self.customers.unknown:
                problems.append(Problem("customer.id", f"no customer {named.id}"))
                return _Customer()
            return _Customer(waiting_id=customer_id)
        assert named.phone is not None
        found = self.customers.phones.get(named.phone)
        return _Customer(id=found) if found else _Customer(waiting_phone=named.phone)

    def _sale(self, pos: PosReceipt, problems: list[Problem]) -> Receipt | None:
        if pos.type is not ReceiptType.RETURN or pos.original_number is None:
            return None
        # Sales were read locked: two returns of one sale cannot both take what is left.
        sale = self.known.get((pos.pos_id, pos.original_number))
        rule_problems = rules.return_problems(pos, sale)
        problems.extend(rule_problems)
        return None if rule_problems else sale

    def _count_return(self, sale: Receipt, amount: Decimal) -> None:
        counted = replace(sale, returned_total=sale.returned_total + amount)
        self.known[(sale.pos_id, sale.number)] = counted
        if sale.id in self.new:
            self.new[sale.id] = counted
        else:
            self.returned[sale.id] = counted.returned_total


def _new_receipt(
    tenant: str, pos: PosReceipt, customer: _Customer, sale: Receipt | None, now: datetime
) -> Receipt:
    shares = rules.returned_shares(sale, pos.total) if sale is not None else None
    return Receipt(
        id=uuid.uuid4(),
        tenant_id=tenant,
        pos_id=pos.pos_id,
        outlet_id=pos.outlet_id,
        number=pos.number,
        type=pos.type,
        purchased_at=pos.purchased_at,
        items=tuple(
            ReceiptItem(item.sku, item.name, item.quantity, item.price, item.amount)
            for item in pos.items
        ),
        total=pos.total,
        paid=pos.paid,
        bonuses_spent=pos.bonuses_spent,
        customer_id=customer.id,
        waiting_phone=customer.waiting_phone,
        waiting_customer_id=customer.waiting_id,
        bonus_reservation_id=pos.bonus_reservation_id,
        registered_at=now,
        original_receipt_id=sale.id if sale is not None else None,
        returned_share=shares.this_return if shares else None,
        returned_share_so_far=shares.so_far if shares else None,
    )


async def announce(uow: ReceiptsUnitOfWork, receipts: list[Receipt], now: datetime) -> None:
    """Count the receipts in their customers' figures, in order, and publish each."""
    figures = await uow.stats.lock(r.customer_id for r in receipts if r.customer_id)
    for receipt in receipts:
        customer_id = receipt.customer_id
        assert customer_id is not None
        figures[customer_id] = figures[customer_id].after(StatsChange.of(receipt))
        uow.publish(publishing.receipt_registered(receipt, customer_id, figures[customer_id], now))
    await uow.stats.save(figures)
