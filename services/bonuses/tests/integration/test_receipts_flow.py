"""Receipts and customers events from Kafka moving bonuses, once each."""

import uuid
from typing import Any

import pytest

from clientcard_bonuses.settings import BonusesSettings
from clientcard_kit.db import Database
from clientcard_kit.testing import eventually

from .support import (
    account,
    deleted,
    ledger_disagreements,
    outbox_events,
    publish,
    receipt_bonuses,
    registered,
    return_of,
    sale,
    tenant,
)

pytestmark = pytest.mark.integration

ACCRUE = "mutation($c: ID!, $a: Decimal!) { accrueBonuses(customerId: $c, amount: $a) { id } }"
UPDATE = "mutation($i: LoyaltyProgramInput!) { updateLoyaltyProgram(input: $i) { welcomeBonus } }"
APPLIED = "bonuses.receipt.bonuses.applied.v1"
RECORDED = "bonuses.bonus.transaction.recorded.v1"


async def applied_receipts(db: Database, name: str, count: int) -> list[dict[str, Any]]:
    async def arrived() -> bool:
        return len(await outbox_events(db, name, APPLIED)) >= count

    await eventually(arrived, what=f"{count} receipt(s) to be applied")
    return await outbox_events(db, name, APPLIED)


async def test_a_sale_redeems_then_accrues_and_announces_both(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database, customers_service: Any
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer = await customers_service.register(name)
    await call(ACCRUE, c=str(customer), a="200.00")
    receipt = sale(name, customer, total="1000.00", spent="100.00")
    await publish(bonuses_settings, receipt)
    [applied] = await applied_receipts(db, name, 1)
    assert (applied["spent"], applied["accrued"], applied["rejection"]) == ("100.00", "45.00", None)
    assert applied["balanceAfter"] == "145.00"
    assert await receipt_bonuses(call, receipt.receipt_id) == [("45.00", "100.00")]

    card = await account(call, customer)
    assert (card["balance"], card["purchases"]) == ("145.00", 1)
    lines = [(e["node"]["type"], e["node"]["event"]) for e in card["operations"]["edges"]]
    assert lines == [("ACCRUAL", "PURCHASE"), ("WRITE_OFF", "PURCHASE"), ("ACCRUAL", "MANUAL")]
    assert card["operations"]["edges"][0]["node"]["receipt"] == {"id": str(receipt.receipt_id)}
    recorded = await outbox_events(db, name, RECORDED)
    assert [event["account"]["version"] for event in recorded] == [1, 2, 3]
    assert [event["balanceAfter"] for event in recorded] == ["200.00", "100.00", "145.00"]
    assert recorded[-1]["account"] == {
        "version": 3,
        "balance": "145.00",
        "accrued": "245.00",
        "spent": "100.00",
        "expired": "0.00",
        # The purchase's lot burns a year after the purchase, before the manual one does.
        "nextExpiryAt": "2027-11-20T12:00:00Z",
        "nextExpiryAmount": "45.00",
    }


async def test_a_redemption_over_the_balance_or_the_share_is_rejected_and_recorded(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database, customers_service: Any
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer, stranger = await customers_service.register(name), uuid.uuid4()
    await call(ACCRUE, c=str(customer), a="100.00")
    over_balance = sale(name, customer, total="1000.00", spent="150.00")
    over_share = sale(name, customer, total="200.00", spent="70.00")
    no_account = sale(name, stranger, total="200.00", spent="10.00")
    await publish(bonuses_settings, over_balance, over_share, no_account)
    applied = {event["receiptId"]: event for event in await applied_receipts(db, name, 3)}
    reasons = [
        applied[str(receipt.receipt_id)]["rejection"]["reason"]
        for receipt in (over_balance, over_share, no_account)
    ]
    assert reasons == ["INSUFFICIENT_BALANCE", "OVER_REDEEM_LIMIT", "NO_ACCOUNT"]
    assert all(event["spent"] == "0.00" for event in applied.values())
    shown = await receipt_bonuses(call, over_balance.receipt_id, over_share.receipt_id)
    # Accrual is on the money paid, as the receipt states it.
    assert shown == [("42.50", "0.00"), ("6.50", "0.00")]
    assert (await account(call, customer))["balance"] == "149.00"


async def test_a_receipt_delivered_twice_accrues_once(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer = uuid.uuid4()
    receipt = sale(name, customer, total="400.00")
    event_id = uuid.uuid4()
    # The same event redelivered, then the same receipt published again under a new id.
    await publish(bonuses_settings, receipt, receipt, event_ids=[event_id, event_id])
    await publish(bonuses_settings, receipt)
    marker = sale(name, customer, total="100.00")
    await publish(bonuses_settings, marker)
    await applied_receipts(db, name, 2)
    card = await account(call, customer)
    assert (card["balance"], card["purchases"], card["operations"]["totalCount"]) == (
        "25.00",
        2,
        2,
    )
    assert len(await outbox_events(db, name, APPLIED)) == 2


async def test_partial_and_repeated_returns_reverse_the_sale_exactly(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database, customers_service: Any
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer = await customers_service.register(name)
    await call(ACCRUE, c=str(customer), a="300.00")
    bought = sale(name, customer, total="999.99", spent="299.99")
    await publish(bonuses_settings, bought)
    await applied_receipts(db, name, 1)
    assert (await account(call, customer))["balance"] == "35.01"  # 0.01 left + 35.00 accrued

    first = return_of(name, customer, bought.receipt_id, "333.33", "0.333333", "0.333333")
    second = return_of(name, customer, bought.receipt_id, "666.66", "0.666667", "1.000000")
    again = return_of(name, customer, bought.receipt_id, "999.99", "1.000000", "1.000000")
    await publish(bonuses_settings, first, second, again)
    applied = await applied_receipts(db, name, 4)
    returns = {event["receiptId"]: event for event in applied[1:]}
    refunds = [returns[str(r.receipt_id)]["spentRefunded"] for r in (first, second, again)]
    reversals = [returns[str(r.receipt_id)]["accrualReversed"] for r in (first, second, again)]
    assert refunds == ["100.00", "199.99", "0.00"]
    assert reversals == ["11.67", "23.33", "0.00"]
    # Everything the sale did is undone: the manual 300.00 is back on the account.
    assert (await account(call, customer))["balance"] == "300.00"
    # A return's figures are below zero: the accrual taken back, the spend given back.
    assert await receipt_bonuses(call, first.receipt_id, bought.receipt_id) == [
        ("-11.67", "-100.00"),
        ("35.00", "299.99"),
    ]
    assert await ledger_disagreements(db, name) == []


async def test_a_registered_customer_gets_the_welcome_bonus_once_and_erasure_removes_all(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database
) -> None:
    name = tenant()
    call = as_tenant(name)
    await as_tenant(name, "OWNER")(UPDATE, i={"welcomeBonus": "250.00"})
    customer = uuid.uuid4()
    await publish(bonuses_settings, registered(name, customer), registered(name, customer))
    await publish(bonuses_settings, sale(name, customer, total="100.00"))
    await applied_receipts(db, name, 1)
    card = await account(call, customer)
    assert (card["balance"], card["operations"]["totalCount"]) == ("255.00", 2)
    assert card["operations"]["edges"][1]["node"]["event"] == "WELCOME"

    await publish(bonuses_settings, deleted(name, customer))

    async def erased() -> bool:
        card = await account(call, customer)
        return bool(card["operations"]["totalCount"] == 0 and card["balance"] == "0.00")

    await eventually(erased, what="the account to be erased")
