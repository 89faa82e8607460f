"""A merge of two customers: the duplicate's ledger, lots and receipts' bonuses become the
survivor's, once however often the merge arrives, answered with the survivor's totals."""

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from clientcard_bonuses.settings import BonusesSettings
from clientcard_contracts.events.customers import CustomerMerged
from clientcard_kit.db import Database
from clientcard_kit.testing import eventually

from .support import (
    account,
    ledger_disagreements,
    outbox_events,
    publish,
    receipt_bonuses,
    sale,
    tenant,
)

pytestmark = pytest.mark.integration

ACCRUE = "mutation($c: ID!, $a: Decimal!) { accrueBonuses(customerId: $c, amount: $a) { id } }"
WRITE_OFF = "mutation($c: ID!, $a: Decimal!) { writeOffBonuses(customerId: $c, amount: $a) { id } }"
APPLIED = "bonuses.receipt.bonuses.applied.v1"
ANSWERED = "bonuses.customer.merge.applied.v1"


def merged(name: str, duplicate: uuid.UUID, survivor: uuid.UUID) -> CustomerMerged:
    return CustomerMerged(
        tenant_id=name,
        customer_id=duplicate,
        occurred_at=datetime.now(UTC),
        survivor_id=survivor,
    )


async def test_the_duplicates_ledger_is_appended_to_the_survivors_once(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database, customers_service: Any
) -> None:
    name = tenant()
    call = as_tenant(name)
    survivor, duplicate, bystander = [await customers_service.register(name) for _ in range(3)]
    await call(ACCRUE, c=str(survivor), a="100.00")
    await call(ACCRUE, c=str(duplicate), a="300.00")
    await call(WRITE_OFF, c=str(duplicate), a="50.00")
    await call(ACCRUE, c=str(survivor), a="20.00")
    await call(ACCRUE, c=str(bystander), a="70.00")
    receipt = sale(name, duplicate, total="1000.00")
    await publish(bonuses_settings, receipt)

    async def applied() -> bool:
        return len(await outbox_events(db, name, APPLIED)) == 1

    await eventually(applied, what="the duplicate's sale to be applied")

    event = merged(name, duplicate, survivor)
    event_id = uuid.uuid4()
    await publish(bonuses_settings, event, event_ids=[event_id])
    await publish(bonuses_settings, event, event_ids=[event_id])
    await publish(bonuses_settings, merged(name, duplicate, survivor))

    async def answered() -> bool:
        return len(await outbox_events(db, name, ANSWERED)) == 2

    await eventually(answered, what="both merge messages to be answered")
    card = await account(call, survivor, first=10)
    purchase = (await receipt_bonuses(call, receipt.receipt_id))[0][0]
    assert float(card["balance"]) == 120 + 250 + float(purchase)
    assert float(card["accrued"]) == 120 + 300 + float(purchase)
    assert card["spent"] == "50.00"
    assert card["operations"]["totalCount"] == 5
    # Newest first: the duplicate's lines after the survivor's, with both cards' balance.
    lines = [
        (e["node"]["event"], e["node"]["amount"], e["node"]["balanceAfter"])
        for e in card["operations"]["edges"]
    ]
    assert lines == [
        ("PURCHASE", purchase, card["balance"]),
        ("MANUAL", "50.00", "370.00"),
        ("MANUAL", "300.00", "420.00"),
        ("MANUAL", "20.00", "120.00"),
        ("MANUAL", "100.00", "100.00"),
    ]
    assert await receipt_bonuses(call, receipt.receipt_id) == [(purchase, "0.00")]
    assert (await account(call, duplicate))["operations"]["totalCount"] == 0
    assert (await account(call, bystander))["balance"] == "70.00"
    assert await ledger_disagreements(db, name) == []

    first, again = await outbox_events(db, name, ANSWERED)
    assert (first["customerId"], first["duplicateId"]) == (str(survivor), str(duplicate))
    assert first["account"]["balance"] == card["balance"]
    assert first["account"]["version"] == 5
    assert again["account"] == first["account"]


async def test_a_receipt_of_the_duplicate_arriving_after_the_merge_goes_to_the_survivor(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database, customers_service: Any
) -> None:
    name = tenant()
    call = as_tenant(name)
    first, second, third = [await customers_service.register(name) for _ in range(3)]
    await call(ACCRUE, c=str(first), a="10.00")
    await publish(bonuses_settings, merged(name, first, second))

    async def answered(count: int) -> bool:
        return len(await outbox_events(db, name, ANSWERED)) == count

    await eventually(lambda: answered(1), what="the first merge to be answered")
    # `second` is then merged into `third`: a late receipt of `first` follows them both.
    await publish(bonuses_settings, merged(name, second, third))
    await eventually(lambda: answered(2), what="the second merge to be answered")
    receipt = sale(name, first, total="1000.00")
    await publish(bonuses_settings, receipt)

    async def applied() -> bool:
        return len(await outbox_events(db, name, APPLIED)) == 1

    await eventually(applied, what="the late receipt to be applied")
    (late,) = await outbox_events(db, name, APPLIED)
    assert late["customerId"] == str(third)
    card = await account(call, third)
    assert float(card["balance"]) == 10 + float(late["accrued"])
    assert (await account(call, first))["operations"]["totalCount"] == 0
    assert (await account(call, second))["operations"]["totalCount"] == 0
