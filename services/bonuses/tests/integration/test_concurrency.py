"""Concurrent changes of one account, and expiry run by several workers at once."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_bonuses import commands
from clientcard_bonuses.commands.expiry import burn_expired
from clientcard_bonuses.db.unit_of_work import SOURCE, BonusesUnitOfWork
from clientcard_bonuses.settings import BonusesSettings
from clientcard_kit.db import Database
from clientcard_kit.errors import InvalidInput

from .support import account, ledger_disagreements, tenant

pytestmark = pytest.mark.integration


def uow(db: Database, name: str) -> BonusesUnitOfWork:
    return BonusesUnitOfWork.for_tenant(db, tenant=name, source=SOURCE)


async def accrue(db: Database, name: str, customer: uuid.UUID, amount: str) -> bool:
    async with uow(db, name) as work:
        await commands.accrue_bonuses(work, customer, Decimal(amount), None, "tests")
    return True


async def write_off(db: Database, name: str, customer: uuid.UUID, amount: str) -> bool:
    async with uow(db, name) as work:
        try:
            await commands.write_off_bonuses(work, customer, Decimal(amount), None, "tests")
        except InvalidInput:
            return False
    return True


async def test_concurrent_write_offs_cannot_overdraw(as_tenant: Any, db: Database) -> None:
    name = tenant()
    customer = uuid.uuid4()
    await accrue(db, name, customer, "60.00")
    await accrue(db, name, customer, "40.00")
    # Twenty write-offs of 30.00 at once against 100.00: exactly three can go through.
    outcomes = await asyncio.gather(*(write_off(db, name, customer, "30.00") for _ in range(20)))
    assert outcomes.count(True) == 3
    card = await account(as_tenant(name), customer)
    assert (card["balance"], card["spent"], card["operations"]["totalCount"]) == (
        "10.00",
        "90.00",
        5,
    )
    assert await ledger_disagreements(db, name) == []


async def test_accruals_and_write_offs_at_once_keep_the_ledger_whole(db: Database) -> None:
    name = tenant()
    customer = uuid.uuid4()
    await accrue(db, name, customer, "50.00")
    changes = [accrue(db, name, customer, "5.00") for _ in range(15)]
    changes += [write_off(db, name, customer, "7.00") for _ in range(15)]
    await asyncio.gather(*changes)
    assert await ledger_disagreements(db, name) == []


async def test_a_manual_operation_sent_again_with_its_request_id_is_made_once(
    as_tenant: Any, db: Database
) -> None:
    name = tenant()
    customer = uuid.uuid4()

    async def retry(command: Any, amount: str, request_id: str) -> uuid.UUID:
        async with uow(db, name) as work:
            made = await command(work, customer, Decimal(amount), None, "tests", request_id)
        return uuid.UUID(str(made.id))

    # A screen that lost its answers sends each request ten times, all at once.
    accrued = await asyncio.gather(
        *(retry(commands.accrue_bonuses, "50.00", "gift-1") for _ in range(10))
    )
    written_off = await asyncio.gather(
        *(retry(commands.write_off_bonuses, "20.00", "refund-1") for _ in range(10))
    )
    assert (len(set(accrued)), len(set(written_off))) == (1, 1)
    # The same id for another customer, or another id, is an operation of its own.
    await retry(commands.accrue_bonuses, "1.00", "gift-2")
    card = await account(as_tenant(name), customer)
    assert (card["balance"], card["operations"]["totalCount"]) == ("31.00", 3)
    assert await ledger_disagreements(db, name) == []


async def test_two_expiry_workers_at_once_burn_each_lot_once(
    bonuses_settings: BonusesSettings, db: Database
) -> None:
    name = tenant()
    customers = [uuid.uuid4() for _ in range(30)]
    for customer in customers:
        await accrue(db, name, customer, "10.00")
        await accrue(db, name, customer, "5.00")
        await write_off(db, name, customer, "12.00")
    later = datetime.now(UTC) + timedelta(days=400)
    # A second pool stands for a second replica: two connections race for every account.
    other = Database(bonuses_settings.database_url)
    try:
        burned = await asyncio.gather(burn_expired(db, later), burn_expired(other, later))
        burned_after = await burn_expired(db, later)
    finally:
        await other.dispose()
    assert burned_after == 0
    async with db.transaction(name) as session:
        expirations = await session.execute(
            sa.text("SELECT count(*), sum(amount) FROM bonus_operations WHERE type = 'EXPIRATION'")
        )
        count, total = expirations.one()
        expired = await session.scalar(sa.text("SELECT sum(expired) FROM bonus_accounts"))
    # Each customer's 10.00 lot gave 10.00 and the 5.00 lot 2.00 to the write-off: 3.00 left.
    assert (count, total, expired) == (30, Decimal("90.00"), Decimal("90.00"))
    assert sum(burned) >= 30
    assert await ledger_disagreements(db, name) == []
