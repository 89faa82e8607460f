"""What the loyalty tests share: the program's settings, receipts dated at will, the
account's standing as the API shows it, and the commands run with a moved clock."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from clientcard_bonuses.db.unit_of_work import SOURCE, BonusesUnitOfWork
from clientcard_contracts.events.customers import CustomerRegistered
from clientcard_contracts.events.receipts import ReceiptRegistered
from clientcard_kit.db import Database

from .support import NOW, customer_ref, return_of, sale

PROGRAM = """mutation($i: LoyaltyProgramInput!) { updateLoyaltyProgram(input: $i) {
  pendingDays birthdayBonus birthdayDaysBefore birthdayBonusExpiryDays timeZone
  tiers { id name minSpend accrualPercent } } }"""
STANDING = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer {
  bonuses { balance pending spendToNextTier tier { id name accrualPercent }
    operations(first: 5) { edges { node { event amount availableAt expiresAt } } } } } } }"""
QUOTE = """query($c: ID!, $t: Decimal!) { bonusQuote(customerId: $c, total: $t) {
  balance maxRedeemable accrualIfNoRedeem } }"""


def uow(db: Database, name: str) -> BonusesUnitOfWork:
    return BonusesUnitOfWork.for_tenant(db, tenant=name, source=SOURCE)


async def set_program(call: Any, **settings: object) -> dict[str, Any]:
    result = await call(PROGRAM, i=settings)
    assert "errors" not in result, result
    program: dict[str, Any] = result["data"]["updateLoyaltyProgram"]
    return program


async def standing(call: Any, customer: uuid.UUID) -> dict[str, Any]:
    result = await call(STANDING, r=[customer_ref(customer)])
    assert "errors" not in result, result
    found: dict[str, Any] = result["data"]["_entities"][0]["bonuses"]
    return found


async def quote(call: Any, customer: uuid.UUID, total: str) -> dict[str, Any]:
    result = await call(QUOTE, c=str(customer), t=total)
    assert "errors" not in result, result
    found: dict[str, Any] = result["data"]["bonusQuote"]
    return found


def sale_at(name: str, customer: uuid.UUID, paid: str, when: datetime) -> ReceiptRegistered:
    return sale(name, customer, total=paid).model_copy(update={"purchased_at": when})


def return_at(
    name: str, customer: uuid.UUID, original: ReceiptRegistered, share: str, when: datetime
) -> ReceiptRegistered:
    returned = return_of(
        name, customer, original.receipt_id, str(original.total * Decimal(share)), share, share
    )
    return returned.model_copy(update={"purchased_at": when})


def born(name: str, customer: uuid.UUID, birth_date: date) -> CustomerRegistered:
    return CustomerRegistered.model_validate(
        {
            "tenantId": name,
            "customerId": str(customer),
            "occurredAt": NOW.isoformat(),
            "version": 1,
            "phone": f"+7916{customer.int % 10**7:07d}",
            "gender": "UNKNOWN",
            "birthDate": birth_date.isoformat(),
            "registration": {"registeredAt": NOW.isoformat(), "source": "MANUAL"},
        }
    )
