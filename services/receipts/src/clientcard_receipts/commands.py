"""What happens to receipts: each function one change, committed with its events.

`register_receipts` is the one way receipts are stored, whether they came over Kafka (a
batch at a time), over HTTP from a POS or from the `registerReceipt` mutation (one at a
time, through `register_receipt`), so the three paths keep the same rules and the same
deduplication.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from clientcard_contracts.enums import ReceiptType
from clientcard_contracts.pos import InvalidPosReceipt, PosReceipt, Problem
from clientcard_receipts.db.receipts import Number
from clientcard_receipts.db.unit_of_work import ReceiptsUnitOfWork
from clientcard_receipts.domain import api_keys, rules
from clientcard_receipts.domain.errors import InvalidInput, NotFound
from clientcard_receipts.domain.records import PosApiKey, Receipt, ReceiptItem
from clientcard_receipts.domain.stats import StatsChange
from clientcard_receipts.events import publishing

ID_LENGTH = 64


@dataclass(frozen=True, slots=True)
class Registration:
    receipt: Receipt
    # False when the POS had sent this receipt before: nothing was stored or published.
    created: bool


Outcome = Registration | InvalidPosReceipt


class RegistrationRace(Exception):
    """Another transaction stored one of the receipts between our look-up and our insert."""


async def register_receipt(uow: ReceiptsUnitOfWork, pos: PosReceipt, now: datetime) -> Registration:
    """Store a receipt once; a resend answers with the receipt stored the first time."""
    try:
        (outcome,) = await register_receipts(uow, [pos], now)
    except RegistrationRace:
        # Nothing of ours was written; looked up again, the receipt is now a resend.
        (outcome,) = await register_receipts(uow, [pos], now)
    if isinstance(outcome, InvalidPosReceipt):
        raise outcome
    return outcome


async def register_receipts(
    uow: ReceiptsUnitOfWork, batch: Sequence[PosReceipt], now: datetime
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
        customers=await _Directory.load(uow, batch),
    )
    outcomes = [plan.take(pos, found) for pos, found in zip(batch, problems, strict=True)]
    if plan.new:
        if await uow.receipts.add_many(plan.new.values()) != len(plan.new):
            raise RegistrationRace()
        await uow.receipts.set_returned(plan.returned)
        await _announce(uow, [receipt for receipt in plan.new.values() if receipt.customer_id], now)
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
class _Directory:
    """The customers a batch names, as the projection of customers.v1 knows them."""

    ids: set[uuid.UUID]
    phones: dict[str, uuid.UUID]

    @classmethod
    async def load(cls, uow: ReceiptsUnitOfWork, batch: Sequence[PosReceipt]) -> "_Directory":
        names = [rules.customer_name(pos.customer) for pos in batch]
        named = [name for name in names if isinstance(name, rules.CustomerName)]
        return cls(
            ids=await uow.known_customers.existing(n.id for n in named if n.id),
            phones=await uow.known_customers.by_phones(n.phone for n in named if n.phone),
        )


@dataclass
class _Customer:
    id: uuid.UUID | None = None
    waiting_phone: str | None = None


@dataclass
class _Plan:
    """What a batch stores, decided receipt by receipt against what is known so far."""

    tenant: str
    now: datetime
    known: dict[Number, Receipt]
    customers: _Directory
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
            if named.id not in self.customers.ids:
                problems.append(Problem("customer.id", f"no customer {named.id}"))
            return _Customer(id=named.id)
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


async def customer_known(
    uow: ReceiptsUnitOfWork, customer_id: uuid.UUID, phone: str, version: int, now: datetime
) -> int:
    """Learn a customer's phone and link the receipts that waited for it; returns how many."""
    await uow.known_customers.remember(customer_id, phone, version)
    waiting = await uow.receipts.waiting_for(phone)
    if waiting:
        await uow.receipts.link([receipt.id for receipt in waiting], customer_id)
        linked = [replace(r, customer_id=customer_id, waiting_phone=None) for r in waiting]
        await _announce(uow, linked, now)
    await uow.commit()
    return len(waiting)


async def customer_deleted(uow: ReceiptsUnitOfWork, customer_id: uuid.UUID) -> None:
    """Erasure: the receipts stay for the tenant's figures but no longer name anyone."""
    phone = await uow.known_customers.forget(customer_id)
    if phone is not None:
        await uow.receipts.forget_phone(phone)
    await uow.receipts.detach(customer_id)
    await uow.stats.remove(customer_id)
    await uow.commit()


async def create_pos_api_key(
    uow: ReceiptsUnitOfWork, outlet_id: str, pos_id: str, now: datetime
) -> tuple[PosApiKey, str]:
    """A new key and its secret; the secret is returned here once and only its hash kept."""
    key = PosApiKey(
        id=uuid.uuid4(),
        outlet_id=_identifier("outletId", outlet_id),
        pos_id=_identifier("posId", pos_id),
        created_at=now,
        revoked_at=None,
    )
    secret = api_keys.new_secret(uow.tenant)
    await uow.api_keys.add(key, api_keys.secret_hash(secret))
    await uow.commit()
    return key, secret


async def revoke_pos_api_key(
    uow: ReceiptsUnitOfWork, key_id: uuid.UUID, now: datetime
) -> PosApiKey:
    key = await uow.api_keys.revoke(key_id, now)
    if key is None:
        raise NotFound(f"no POS API key {key_id}")
    await uow.commit()
    return key


def _identifier(field: str, value: str) -> str:
    text = value.strip()
    if not 1 <= len(text) <= ID_LENGTH:
        raise InvalidInput(field, f"must be 1 to {ID_LENGTH} characters")
    return text


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
        registered_at=now,
        original_receipt_id=sale.id if sale is not None else None,
        returned_share=shares.this_return if shares else None,
        returned_share_so_far=shares.so_far if shares else None,
    )


async def _announce(uow: ReceiptsUnitOfWork, receipts: list[Receipt], now: datetime) -> None:
    """Count the receipts in their customers' figures, in order, and publish each."""
    figures = await uow.stats.lock(r.customer_id for r in receipts if r.customer_id)
    for receipt in receipts:
        customer_id = receipt.customer_id
        assert customer_id is not None
        figures[customer_id] = figures[customer_id].after(StatsChange.of(receipt))
        uow.publish(publishing.receipt_registered(receipt, customer_id, figures[customer_id], now))
    await uow.stats.save(figures)
