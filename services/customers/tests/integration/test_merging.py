"""Merging a duplicate card: the customers service's part, refusals, and following the
other services' answers until the duplicate is erased."""

import asyncio
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_contracts.enums import Channel, MessengerStatus
from clientcard_contracts.events.bonuses import BonusAccountTotals, BonusesMergeApplied
from clientcard_contracts.events.messaging import MessagingMergeApplied, Messengers
from clientcard_contracts.events.receipts import PurchaseStats, ReceiptsMergeApplied
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database
from clientcard_kit.testing import eventually, processed, publish_events

from .calls import error_code, register, tenant

pytestmark = pytest.mark.integration

MERGE = """
mutation($s: ID!, $d: ID!) {
  mergeCustomers(survivorId: $s, duplicateId: $d) {
    id email firstName lastName segments { name } notes(first: 10) { totalCount }
  }
}"""
SUMMARY = """
query($id: ID!) { customer(id: $id) { summary { purchases bonusBalance lastNpsScore } } }"""


async def _outbox(settings: CustomersSettings, name: str) -> list[tuple[str, dict[str, Any]]]:
    db = Database(settings.database_url)
    try:
        async with db.transaction() as session:
            rows = await session.execute(
                sa.text("SELECT event_type, data FROM outbox WHERE tenant_id = :t ORDER BY seq"),
                {"t": name},
            )
            return [(row.event_type, row.data) for row in rows]
    finally:
        await db.dispose()


async def _two_cards(call: Any) -> tuple[str, str]:
    survivor = await register(call, firstName="Анна")
    duplicate = await register(call, firstName="Аня", lastName="Смирнова", email="a@example.org")
    segment = await call('mutation { createSegment(name: "VIP") { id } }')
    segment_id = segment["data"]["createSegment"]["id"]
    assign = (
        "mutation($c: ID!, $s: [ID!]!) { assignSegments(customerId: $c, segmentIds: $s) { id } }"
    )
    await call(assign, c=duplicate["id"], s=[segment_id])
    for text in ("любит кофе", "аллергия на лак"):
        await call(
            "mutation($c: ID!, $t: String!) { addNote(customerId: $c, text: $t) { id } }",
            c=duplicate["id"],
            t=text,
        )
    return survivor["id"], duplicate["id"]


async def test_the_survivor_takes_notes_segments_and_missing_profile_and_the_duplicate_leaves(
    as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    name = tenant()
    call = as_tenant(name)
    survivor, duplicate = await _two_cards(call)

    merged = (await call(MERGE, s=survivor, d=duplicate))["data"]["mergeCustomers"]
    assert merged["id"] == survivor
    assert (merged["firstName"], merged["lastName"]) == ("Анна", "Смирнова")
    assert merged["email"] == "a@example.org"
    assert [s["name"] for s in merged["segments"]] == ["VIP"]
    assert merged["notes"]["totalCount"] == 2
    gone = await call("query($id: ID!) { customer(id: $id) { id } }", id=duplicate)
    assert gone["data"]["customer"] is None
    listed = await call("{ customers { totalCount edges { node { id } } } }")
    assert listed["data"]["customers"]["totalCount"] == 1
    assert [e["node"]["id"] for e in listed["data"]["customers"]["edges"]] == [survivor]

    again = await call(MERGE, s=survivor, d=duplicate)
    assert again["data"]["mergeCustomers"]["notes"]["totalCount"] == 2
    published = [
        (kind, data) for kind, data in await _outbox(customers_settings, name) if "merged" in kind
    ]
    assert published == [
        (
            "customers.customer.merged.v1",
            {**published[0][1], "customerId": duplicate, "survivorId": survivor},
        )
    ]


async def test_merges_that_cannot_be_made_are_refused_with_a_code(as_tenant: Any) -> None:
    name = tenant()
    call = as_tenant(name)
    a, b, c = [(await register(call))["id"] for _ in range(3)]
    stranger = (await register(as_tenant(tenant())))["id"]
    assert error_code(await call(MERGE, s=a, d=a)) == "BAD_USER_INPUT"
    assert error_code(await call(MERGE, s=a, d=str(uuid.uuid4()))) == "NOT_FOUND"
    assert error_code(await call(MERGE, s=a, d=stranger)) == "NOT_FOUND"
    assert error_code(await as_tenant(name, "VIEWER")(MERGE, s=a, d=b)) == "FORBIDDEN"

    assert "errors" not in await call(MERGE, s=a, d=b)
    into_another = await call(MERGE, s=c, d=b)
    assert into_another["errors"][0]["extensions"] == {
        "code": "CONFLICT",
        "reason": "ALREADY_MERGED",
        "survivorId": a,
    }
    merged_away = await call(MERGE, s=b, d=c)
    assert merged_away["errors"][0]["extensions"]["reason"] == "SURVIVOR_MERGED_AWAY"
    # `a` is still waiting for the other services to move b's records to it.
    assert (await call(MERGE, s=c, d=a))["errors"][0]["extensions"]["reason"] == (
        "MERGE_IN_PROGRESS"
    )
    assert (await as_tenant(name, "OWNER")("{ customers { totalCount } }"))["data"] == {
        "customers": {"totalCount": 2}
    }


def _answers(name: str, survivor: str, duplicate: str) -> list[Any]:
    now = datetime.now(UTC)
    common: dict[str, Any] = {
        "tenant_id": name,
        "customer_id": uuid.UUID(survivor),
        "occurred_at": now,
        "duplicate_id": uuid.UUID(duplicate),
    }
    return [
        ReceiptsMergeApplied(
            **common,
            service="receipts",
            purchase_stats=PurchaseStats(
                version=5,
                purchases=4,
                returns=1,
                revenue=Decimal("8000.00"),
                average_check=Decimal("2000.00"),
                last_purchase_at=now,
            ),
        ),
        BonusesMergeApplied(
            **common,
            service="bonuses",
            account=BonusAccountTotals(
                version=7,
                balance=Decimal("350.00"),
                accrued=Decimal("500.00"),
                spent=Decimal("150.00"),
                expired=Decimal("0"),
            ),
        ),
        MessagingMergeApplied(
            **common,
            service="messaging",
            messengers=Messengers(
                version=3,
                status=MessengerStatus.ACTIVE,
                default_channel=Channel.TELEGRAM,
                subscriptions=(),
            ),
            last_nps_score=9,
            last_nps_at=now,
        ),
    ]


async def test_the_duplicate_is_erased_once_every_service_has_moved_its_records(
    as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    name = tenant()
    call = as_tenant(name)
    survivor, duplicate = await _two_cards(call)
    assert "errors" not in await call(MERGE, s=survivor, d=duplicate)
    receipts, bonuses, messaging = _answers(name, survivor, duplicate)
    servers = customers_settings.kafka_bootstrap_servers

    # Two answers, one of them delivered twice: the merge still waits for the third.
    ids = await publish_events(servers, [receipts, bonuses])
    await publish_events(servers, [bonuses], [uuid.UUID(ids[1])])
    await processed(customers_settings.database_url, ids)
    kinds = [kind for kind, _ in await _outbox(customers_settings, name)]
    assert "customers.customer.deleted.v1" not in kinds
    summary = (await call(SUMMARY, id=survivor))["data"]["customer"]["summary"]
    assert summary == {"purchases": 4, "bonusBalance": "350.00", "lastNpsScore": None}

    await publish_events(servers, [messaging, messaging])

    async def erased() -> bool:
        kinds = [kind for kind, _ in await _outbox(customers_settings, name)]
        return kinds.count("customers.customer.deleted.v1") == 1

    await eventually(erased, what="the duplicate's erasure to be published")
    summary = (await call(SUMMARY, id=survivor))["data"]["customer"]["summary"]
    assert summary == {"purchases": 4, "bonusBalance": "350.00", "lastNpsScore": 9}
    deleted = [d for k, d in await _outbox(customers_settings, name) if k.endswith("deleted.v1")]
    assert [d["customerId"] for d in deleted] == [duplicate]


async def test_answers_about_another_merchants_merge_change_nothing_here(
    as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    name, stranger = tenant(), tenant()
    call = as_tenant(name)
    survivor, duplicate = await _two_cards(call)
    assert "errors" not in await call(MERGE, s=survivor, d=duplicate)
    foreign = [
        answer.model_copy(update={"tenant_id": stranger})
        for answer in _answers(name, survivor, duplicate)
    ]
    await processed(
        customers_settings.database_url,
        await publish_events(customers_settings.kafka_bootstrap_servers, foreign),
    )
    kinds = [kind for kind, _ in await _outbox(customers_settings, name)]
    assert "customers.customer.deleted.v1" not in kinds
    assert await _outbox(customers_settings, stranger) == []
    summary = (await call(SUMMARY, id=survivor))["data"]["customer"]["summary"]
    assert summary == {"purchases": 0, "bonusBalance": "0.00", "lastNpsScore": None}


async def test_a_survivor_erased_during_the_merge_is_erased_again_when_it_ends(
    as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    name = tenant()
    call = as_tenant(name)
    survivor, duplicate = await _two_cards(call)
    assert "errors" not in await call(MERGE, s=survivor, d=duplicate)
    assert (await call("mutation($id: ID!) { deleteCustomer(id: $id) }", id=survivor))["data"]
    servers = customers_settings.kafka_bootstrap_servers
    await processed(
        customers_settings.database_url,
        await publish_events(servers, _answers(name, survivor, duplicate)),
    )
    deleted = [
        data["customerId"]
        for kind, data in await _outbox(customers_settings, name)
        if kind == "customers.customer.deleted.v1"
    ]
    # Its own erasure, then once every service has moved the duplicate's records to it.
    assert deleted == [survivor, duplicate, survivor]


async def test_the_same_merge_asked_twice_at_once_is_made_once(
    as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    name = tenant()
    call = as_tenant(name)
    survivor, duplicate = await _two_cards(call)
    both = await asyncio.gather(
        call(MERGE, s=survivor, d=duplicate), call(MERGE, s=survivor, d=duplicate)
    )
    assert [answer["data"]["mergeCustomers"]["id"] for answer in both] == [survivor, survivor]
    assert [answer["data"]["mergeCustomers"]["notes"]["totalCount"] for answer in both] == [2, 2]
    kinds = [kind for kind, _ in await _outbox(customers_settings, name)]
    assert kinds.count("customers.customer.merged.v1") == 1
