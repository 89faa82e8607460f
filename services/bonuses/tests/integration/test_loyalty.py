"""Tiers by the year's spend, pending accrual and the birthday bonus, on the real
PostgreSQL and Kafka; time moves by the clock the jobs' commands are given."""

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_bonuses import commands
from clientcard_bonuses.commands import loyalty, loyalty_runs
from clientcard_bonuses.settings import BonusesSettings
from clientcard_contracts.events.customers import CustomerMerged
from clientcard_kit.db import Database
from clientcard_kit.errors import InvalidInput
from clientcard_kit.testing import eventually

from .loyalty_support import (
    born,
    quote,
    return_at,
    sale_at,
    set_program,
    standing,
    uow,
)
from .support import ledger_disagreements, outbox_events, publish, tenant

pytestmark = pytest.mark.integration

APPLIED = "bonuses.receipt.bonuses.applied.v1"
TIER_CHANGED = "bonuses.tier.changed.v1"
TIERS = [
    {"name": "Silver", "minSpend": "1000.00", "accrualPercent": "8.00"},
    {"name": "Gold", "minSpend": "5000.00", "accrualPercent": "12.00"},
]


async def applied(db: Database, name: str, count: int) -> None:
    async def arrived() -> bool:
        return len(await outbox_events(db, name, APPLIED)) >= count

    await eventually(arrived, what=f"{count} receipt(s) applied")


async def tier_events(db: Database, name: str) -> list[tuple[str | None, int]]:
    return [(e["tierName"], e["version"]) for e in await outbox_events(db, name, TIER_CHANGED)]


async def test_a_tier_rises_with_receipts_and_falls_as_purchases_leave_the_window(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database
) -> None:
    name, customer, now = tenant(), uuid.uuid4(), datetime.now(UTC)
    call = as_tenant(name, "OWNER")
    await set_program(call, tiers=TIERS)
    old = sale_at(name, customer, "1200.00", now - timedelta(days=300))
    await publish(bonuses_settings, old)
    await applied(db, name, 1)
    await publish(bonuses_settings, sale_at(name, customer, "4000.00", now - timedelta(days=10)))
    await applied(db, name, 2)

    card = await standing(call, customer)
    # The first sale accrued at the flat 5 %, the second at Silver's 8 %.
    assert card["balance"] == "380.00"
    assert (card["tier"]["name"], card["spendToNextTier"]) == ("Gold", None)
    assert await tier_events(db, name) == [("Silver", 1), ("Gold", 2)]

    async with uow(db, name) as work:  # the old sale has left the window
        assert await loyalty.review_spends(work, now + timedelta(days=70), 100) == 1
    card = await standing(call, customer)
    assert (card["tier"]["name"], card["spendToNextTier"]) == ("Silver", "1000.00")
    async with uow(db, name) as work:  # and so has the other
        assert await loyalty.review_spends(work, now + timedelta(days=360), 100) == 1
    assert (await standing(call, customer))["tier"] is None
    assert await tier_events(db, name) == [("Silver", 1), ("Gold", 2), ("Silver", 3), (None, 4)]


async def test_a_return_lowers_the_spend_and_the_tier_with_it(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database
) -> None:
    name, customer, now = tenant(), uuid.uuid4(), datetime.now(UTC)
    call = as_tenant(name, "OWNER")
    await set_program(call, tiers=TIERS)
    bought = sale_at(name, customer, "6000.00", now - timedelta(days=3))
    await publish(bonuses_settings, bought)
    await applied(db, name, 1)
    assert (await standing(call, customer))["tier"]["name"] == "Gold"
    await publish(bonuses_settings, return_at(name, customer, bought, "0.5", now))
    await applied(db, name, 2)
    assert (await standing(call, customer))["tier"]["name"] == "Silver"
    assert await tier_events(db, name) == [("Gold", 1), ("Silver", 2)]


async def test_new_tiers_place_every_account_in_batches(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database
) -> None:
    name, now = tenant(), datetime.now(UTC)
    call = as_tenant(name, "OWNER")
    customers = [uuid.uuid4() for _ in range(5)]
    for customer, paid in zip(customers, ("100", "900", "1000", "4000", "7000"), strict=True):
        await publish(bonuses_settings, sale_at(name, customer, paid, now - timedelta(days=1)))
    await applied(db, name, 5)
    await set_program(call, tiers=TIERS)
    while True:  # batches of two, as the job takes them (it may take some itself)
        async with uow(db, name) as work:
            if not await loyalty.place_in_tiers(work, 2):
                break
    tiers = [(await standing(call, c))["tier"] for c in customers]
    assert [t["name"] if t else None for t in tiers] == [None, None, "Silver", "Silver", "Gold"]
    assert sorted(await tier_events(db, name), key=str) == sorted(
        [("Silver", 1), ("Silver", 1), ("Gold", 1)], key=str
    )


async def test_a_tier_from_no_spend_takes_a_new_customer_in_at_registration(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database
) -> None:
    name, customer = tenant(), uuid.uuid4()
    call = as_tenant(name, "OWNER")
    start = {"name": "Start", "minSpend": "0.00", "accrualPercent": "3.00"}
    await set_program(call, tiers=[start, *TIERS])
    await publish(bonuses_settings, born(name, customer, date(1990, 5, 5)))

    async def placed() -> bool:
        return bool(await tier_events(db, name))

    await eventually(placed, what="the new customer placed")
    card = await standing(call, customer)
    assert (card["tier"]["name"], card["spendToNextTier"]) == ("Start", "1000.00")
    assert await tier_events(db, name) == [("Start", 1)]


async def test_pending_bonuses_are_not_spendable_at_the_till_until_their_day(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database
) -> None:
    name, customer, now = tenant(), uuid.uuid4(), datetime.now(UTC)
    call = as_tenant(name, "OWNER")
    await set_program(call, pendingDays=14)
    async with uow(db, name) as work:
        await commands.accrue_bonuses(work, customer, Decimal("100.00"), None, "tests")
    bought = now - timedelta(days=1)
    await publish(bonuses_settings, sale_at(name, customer, "2000.00", bought))
    await applied(db, name, 1)

    card = await standing(call, customer)
    assert (card["balance"], card["pending"]) == ("200.00", "100.00")
    purchase = card["operations"]["edges"][0]["node"]
    assert purchase["availableAt"] == (bought + timedelta(days=14)).isoformat()
    assert (await quote(call, customer, "10000.00"))["maxRedeemable"] == "100.00"
    async with uow(db, name) as work:
        with pytest.raises(InvalidInput):
            await commands.reserve_bonuses(
                work, customer, Decimal("10000.00"), Decimal("150.00"), 600
            )

    async with uow(db, name) as work:  # the day comes
        assert await loyalty.release_pending(work, bought + timedelta(days=14), 100) == 1
    card = await standing(call, customer)
    assert (card["balance"], card["pending"]) == ("200.00", "0.00")
    assert (await quote(call, customer, "10000.00"))["maxRedeemable"] == "200.00"
    assert await ledger_disagreements(db, name) == []


async def test_a_return_inside_the_period_cancels_pending_bonuses_first(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database
) -> None:
    name, customer, now = tenant(), uuid.uuid4(), datetime.now(UTC)
    call = as_tenant(name, "OWNER")
    await set_program(call, pendingDays=14)
    async with uow(db, name) as work:
        await commands.accrue_bonuses(work, customer, Decimal("30.00"), None, "tests")
    bought = sale_at(name, customer, "1000.00", now - timedelta(days=2))
    await publish(bonuses_settings, bought)
    await applied(db, name, 1)
    await publish(bonuses_settings, return_at(name, customer, bought, "0.5", now))
    await applied(db, name, 2)
    card = await standing(call, customer)
    assert (card["balance"], card["pending"]) == ("55.00", "25.00")
    assert (await quote(call, customer, "1000.00"))["maxRedeemable"] == "30.00"


async def test_the_birthday_bonus_once_a_year_with_two_runners_and_a_restart(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database
) -> None:
    name = tenant()
    call = as_tenant(name, "OWNER")
    program = await set_program(
        call,
        birthdayBonus="500.00",
        birthdayDaysBefore=12,
        birthdayBonusExpiryDays=30,
        timeZone="Asia/Vladivostok",
    )
    assert (program["timeZone"], program["birthdayBonusExpiryDays"]) == ("Asia/Vladivostok", 30)
    march, leap, june = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await publish(
        bonuses_settings,
        born(name, march, date(1990, 3, 12)),
        born(name, leap, date(2000, 2, 29)),
        born(name, june, date(1985, 6, 1)),
    )
    await eventually(lambda: _birthdays_known(db, name, 3), what="the birth dates kept")
    # 15:00 UTC on February 27 is February 28 in Vladivostok: March 12 is 12 days ahead
    # there (it would not be yet in UTC), and February 29 is kept on the 28th in 2027.
    now = datetime(2027, 2, 27, 15, tzinfo=UTC)
    second = Database(bonuses_settings.database_url)
    try:
        for _restart in range(2):
            await asyncio.gather(
                loyalty_runs.birthday_bonuses(db, now), loyalty_runs.birthday_bonuses(second, now)
            )
        assert await _birthday_bonuses(db, name) == {march: 1, leap: 1}
        # A year on (a leap year), February 29 is due again; March 12 not yet.
        next_year = now + timedelta(days=365)
        await asyncio.gather(
            loyalty_runs.birthday_bonuses(db, next_year),
            loyalty_runs.birthday_bonuses(second, next_year),
        )
    finally:
        await second.dispose()
    assert await _birthday_bonuses(db, name) == {march: 1, leap: 2}
    card = await standing(call, march)
    [bonus] = [e["node"] for e in card["operations"]["edges"] if e["node"]["event"] == "BIRTHDAY"]
    assert (bonus["amount"], bonus["expiresAt"]) == ("500.00", "2027-03-29T15:00:00+00:00")
    assert await ledger_disagreements(db, name) == []


async def _birthdays_known(db: Database, name: str, count: int) -> bool:
    async with db.transaction(name) as session:
        known = await session.scalar(sa.text("SELECT count(*) FROM customer_birthdays"))
    return bool(known == count)


async def _birthday_bonuses(db: Database, name: str) -> dict[uuid.UUID, int]:
    async with db.transaction(name) as session:
        rows = await session.execute(
            sa.text(
                "SELECT customer_id, count(*) FROM bonus_operations "
                "WHERE event = 'BIRTHDAY' GROUP BY customer_id"
            )
        )
        return {row[0]: row[1] for row in rows}


async def test_a_merged_card_is_placed_by_both_cards_spend_and_gets_one_birthday_bonus_a_year(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database
) -> None:
    name, survivor, duplicate, now = tenant(), uuid.uuid4(), uuid.uuid4(), datetime.now(UTC)
    call = as_tenant(name, "OWNER")
    await set_program(call, tiers=TIERS)
    await publish(bonuses_settings, sale_at(name, survivor, "600.00", now - timedelta(days=5)))
    await publish(bonuses_settings, sale_at(name, duplicate, "700.00", now - timedelta(days=3)))
    await applied(db, name, 2)
    assert (await standing(call, survivor))["tier"] is None  # 600 alone is below Silver
    async with db.transaction(name) as session:  # the duplicate had this year's birthday bonus
        await session.execute(
            sa.text(
                "INSERT INTO birthday_bonuses (tenant_id, customer_id, year, accrued_at) "
                "VALUES (:tenant, :customer, :year, now())"
            ),
            {"tenant": name, "customer": duplicate, "year": now.year},
        )

    merged = CustomerMerged(
        tenant_id=name, customer_id=duplicate, occurred_at=now, survivor_id=survivor
    )
    await publish(bonuses_settings, merged)

    async def answered() -> bool:
        return len(await outbox_events(db, name, "bonuses.customer.merge.applied.v1")) == 1

    await eventually(answered, what="the merge applied")
    async with uow(db, name) as work:  # the next spend review, right after the merge
        assert await loyalty.review_spends(work, now + timedelta(seconds=5), 100) == 1
    card = await standing(call, survivor)
    assert (card["tier"]["name"], card["spendToNextTier"]) == ("Silver", "3700.00")
    async with db.transaction(name) as session:
        owners = await session.execute(sa.text("SELECT customer_id, year FROM birthday_bonuses"))
        assert [(row.customer_id, row.year) for row in owners] == [(survivor, now.year)]
