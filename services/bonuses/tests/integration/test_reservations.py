"""Reservations under concurrency: tills racing for the same bonuses, a till against a
manager, expiry by two replicas at once, and a reserved receipt delivered twice."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_bonuses import commands
from clientcard_bonuses.commands.expiry import end_unused_reservations
from clientcard_bonuses.db.unit_of_work import SOURCE, BonusesUnitOfWork
from clientcard_bonuses.settings import BonusesSettings
from clientcard_kit.db import Database
from clientcard_kit.errors import InvalidInput

from .support import ledger_disagreements, outbox_events, publish, sale, tenant

pytestmark = pytest.mark.integration

APPLIED = "bonuses.receipt.bonuses.applied.v1"


def uow(db: Database, name: str) -> BonusesUnitOfWork:
    return BonusesUnitOfWork.for_tenant(db, tenant=name, source=SOURCE)


async def funded(db: Database, name: str, amount: str) -> uuid.UUID:
    customer = uuid.uuid4()
    async with uow(db, name) as work:
        await commands.accrue_bonuses(work, customer, Decimal(amount), None, "tests")
    return customer


async def reserve(db: Database, name: str, customer: uuid.UUID, amount: str) -> Any:
    async with uow(db, name) as work:
        try:
            return await commands.reserve_bonuses(
                work, customer, Decimal("10000.00"), Decimal(amount), 600
            )
        except InvalidInput:
            return None


async def write_off(db: Database, name: str, customer: uuid.UUID, amount: str) -> bool:
    async with uow(db, name) as work:
        try:
            await commands.write_off_bonuses(work, customer, Decimal(amount), None, "tests")
        except InvalidInput:
            return False
    return True


async def account(db: Database, name: str, customer: uuid.UUID) -> Any:
    async with db.transaction(name) as session:
        return (
            await session.execute(
                sa.text("SELECT balance, reserved FROM bonus_accounts WHERE customer_id = :c"),
                {"c": customer},
            )
        ).one()


async def test_two_tills_never_reserve_the_same_bonuses(db: Database) -> None:
    name = tenant()
    customer = await funded(db, name, "100.00")
    # Twenty tills at once ask for 30.00 each of 100.00: exactly three can hold it.
    held = await asyncio.gather(*(reserve(db, name, customer, "30.00") for _ in range(20)))
    assert len([r for r in held if r is not None]) == 3
    assert tuple(await account(db, name, customer)) == (Decimal("100.00"), Decimal("90.00"))


async def test_a_manager_cannot_write_off_what_tills_hold(db: Database) -> None:
    name = tenant()
    customer = await funded(db, name, "100.00")
    changes = [reserve(db, name, customer, "20.00") for _ in range(10)]
    changes += [write_off(db, name, customer, "20.00") for _ in range(10)]
    outcomes = await asyncio.gather(*changes)
    reserved = len([r for r in outcomes[:10] if r is not None])
    written_off = outcomes[10:].count(True)
    # Whatever the order, the two together never take more than there was.
    assert reserved + written_off == 5
    balance, held = await account(db, name, customer)
    assert (balance, held) == (Decimal(100 - 20 * written_off), Decimal(20 * reserved))
    assert await ledger_disagreements(db, name) == []


async def test_two_replicas_expiring_at_once_release_each_reservation_once(
    bonuses_settings: BonusesSettings, db: Database
) -> None:
    name = tenant()
    customers = [await funded(db, name, "50.00") for _ in range(20)]
    for customer in customers:
        assert await reserve(db, name, customer, "40.00") is not None
    later = datetime.now(UTC) + timedelta(hours=1)
    other = Database(bonuses_settings.database_url)
    try:
        ended = await asyncio.gather(
            end_unused_reservations(db, later), end_unused_reservations(other, later)
        )
        again = await end_unused_reservations(db, later)
    finally:
        await other.dispose()
    # (The passes visit every tenant of the database, other tests' too.)
    assert sum(ended) >= 20
    assert again == 0
    async with db.transaction(name) as session:
        statuses = (
            await session.execute(
                sa.text("SELECT status, count(*) FROM bonus_reservations GROUP BY status")
            )
        ).all()
        reserved = await session.scalar(sa.text("SELECT sum(reserved) FROM bonus_accounts"))
    assert dict(statuses) == {"EXPIRED": 20}
    assert reserved == 0
    events = await outbox_events(db, name, "bonuses.reservation.changed.v1")
    assert sorted(event["status"] for event in events) == ["EXPIRED"] * 20 + ["HELD"] * 20


async def test_a_reserved_receipt_delivered_twice_commits_once(
    app: Any, bonuses_settings: BonusesSettings, db: Database
) -> None:
    name = tenant()
    customer = await funded(db, name, "100.00")
    held = await reserve(db, name, customer, "60.00")
    # A manager takes all that is free, so only the reservation can pay for the sale.
    assert await write_off(db, name, customer, "40.00")
    receipt = sale(name, customer, total="200.00", spent="60.00", reservation_id=held.id)
    event_id = uuid.uuid4()
    await publish(bonuses_settings, receipt, receipt, event_ids=[event_id, event_id])
    await publish(bonuses_settings, receipt)  # the same receipt under a new event id

    async def applied() -> list[dict[str, Any]]:
        return await outbox_events(db, name, APPLIED)

    for _ in range(100):
        if await applied():
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # room for the redeliveries to be (not) applied
    [event] = await applied()
    assert (event["spent"], event["rejection"]) == ("60.00", None)
    async with db.transaction(name) as session:
        status = await session.scalar(sa.text("SELECT status FROM bonus_reservations"))
    assert status == "COMMITTED"
    # 100 - 40 written off - 60 reserved and spent + 5 % of the 140 paid.
    assert tuple(await account(db, name, customer)) == (Decimal("7.00"), Decimal("0.00"))
    assert await ledger_disagreements(db, name) == []
