"""Receipts applied as one batch move bonuses exactly as the same receipts one by one."""

import uuid
from decimal import Decimal

import pytest
import sqlalchemy as sa

from clientcard_bonuses import commands
from clientcard_bonuses.db.unit_of_work import SOURCE, BonusesUnitOfWork
from clientcard_contracts.events.receipts import ReceiptRegistered
from clientcard_kit.db import Database

from .support import ledger_disagreements, return_of, sale, tenant

pytestmark = pytest.mark.integration

ACCOUNTS = "SELECT customer_id, balance, accrued, spent, purchases, version FROM bonus_accounts"
RECEIPTS = (
    "SELECT receipt_id, spent, accrued, accrual_reversed, spent_refunded, rejection "
    "FROM receipt_bonuses"
)


def story(name: str, customers: list[uuid.UUID], ids: list[uuid.UUID]) -> list[ReceiptRegistered]:
    """Sales, redemptions (one refused), a sale returned in two parts, a duplicate."""
    anna, boris = customers
    first = sale(name, anna, "1000.00", receipt_id=ids[0])
    return [
        first,
        sale(name, boris, "500.00", spent="10.00", receipt_id=ids[1]),  # no account: refused
        sale(name, anna, "200.00", spent="40.00", receipt_id=ids[2]),
        return_of(name, anna, first.receipt_id, "400.00", "0.400000", "0.400000", ids[3]),
        sale(name, boris, "300.00", spent="15.00", receipt_id=ids[4]),
        first,
        return_of(name, anna, first.receipt_id, "600.00", "0.600000", "1.000000", ids[5]),
    ]


async def snapshot(db: Database, name: str) -> tuple[set[tuple[object, ...]], ...]:
    async with db.transaction(name) as session:
        accounts = {tuple(row) for row in await session.execute(sa.text(ACCOUNTS))}
        receipts = {tuple(row) for row in await session.execute(sa.text(RECEIPTS))}
    return accounts, receipts


async def test_a_batch_equals_the_same_receipts_one_by_one(db: Database) -> None:
    customers = [uuid.uuid4(), uuid.uuid4()]
    ids = [uuid.uuid4() for _ in range(6)]
    one_by_one, batched = tenant(), tenant()
    for receipt in story(one_by_one, customers, ids):
        async with BonusesUnitOfWork.for_tenant(db, tenant=one_by_one, source=SOURCE) as uow:
            await commands.apply_receipt(uow, receipt)
    async with BonusesUnitOfWork.for_tenant(db, tenant=batched, source=SOURCE) as uow:
        assert await commands.apply_receipts(uow, story(batched, customers, ids)) == 6
        await uow.commit()
    assert await snapshot(db, one_by_one) == await snapshot(db, batched)
    accounts, receipts = await snapshot(db, batched)
    balances = {row[0]: row[1] for row in accounts}
    # Anna spent 40.00 of the first sale's 50.00: taking it back leaves her nothing; Boris
    # was refused at first (no account) but earned 24.50, then paid 15.00 and earned 14.25.
    assert balances == {customers[0]: Decimal("0.00"), customers[1]: Decimal("23.75")}
    assert ("NO_ACCOUNT",) in {row[5:] for row in receipts}
    assert await ledger_disagreements(db, batched) == []
