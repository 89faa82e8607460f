"""Merging two cards of one client through the gateway, every process real.

Each card has a purchase (with its bonuses), and the duplicate a note, a segment and a
messenger. After the merge the survivor's card shows the sums and the duplicate is gone;
a merge interrupted by a killed bonuses service completes once it is back, nothing doubled.
"""

import asyncio
import functools
import uuid
from typing import Any

import pytest

from clientcard_devstack.wholestack import RunningSystem

from .tills import eventually, pos_receipt, publish_to_pos_topic, wait_for_balance

pytestmark = pytest.mark.integration

MERGE = """mutation($s: ID!, $d: ID!) {
  mergeCustomers(survivorId: $s, duplicateId: $d) { id lastName } }"""
CARD = """query($c: ID!) { customer(id: $c) {
  id firstName lastName email segments { name } notes(first: 10) { totalCount }
  messengers { channel isDefault }
  summary { purchases revenue bonusBalance }
  purchaseStats { purchases revenue }
  bonuses { balance accrued operations(first: 10) { totalCount } }
} }"""
# What the customers service alone answers, while the bonuses service is down.
SUMMARY = """query($c: ID!) { customer(id: $c) { summary { purchases bonusBalance } } }"""
REGISTER = """mutation($p: String!, $f: String, $l: String) {
  registerCustomer(input: {phone: $p, firstName: $f, lastName: $l}) { id } }"""


def _phone() -> str:
    return f"+7917{uuid.uuid4().int % 10_000_000:07d}"


async def _two_cards(system: RunningSystem, as_staff: Any) -> dict[str, Any]:
    """A salon whose client has two cards, each with a purchase of 1000 (100 in bonuses)."""
    tenant = f"salon-{uuid.uuid4().hex[:8]}"
    owner, manager = as_staff(tenant, "OWNER"), as_staff(tenant, "MANAGER")
    owner(
        'mutation { updateLoyaltyProgram(input: {accrualPercent: "10.00", '
        'maxRedeemPercent: "50.00", expiryDays: 365, welcomeBonus: "0.00"}) { accrualPercent } }'
    )
    phones = {"survivor": _phone(), "duplicate": _phone()}
    ids = {
        "survivor": manager(REGISTER, p=phones["survivor"], f="Алина")["registerCustomer"]["id"],
        "duplicate": manager(REGISTER, p=phones["duplicate"], l="Соколова")["registerCustomer"][
            "id"
        ],
    }
    duplicate = ids["duplicate"]
    segment = manager('mutation { createSegment(name: "VIP") { id } }')["createSegment"]["id"]
    manager(
        "mutation($c: ID!, $s: [ID!]!) { assignSegments(customerId: $c, segmentIds: $s) { id } }",
        c=duplicate,
        s=[segment],
    )
    manager(
        'mutation($c: ID!) { addNote(customerId: $c, text: "Любит капучино") { id } }', c=duplicate
    )
    manager(
        "mutation($c: ID!, $a: String!) { linkMessenger(customerId: $c, channel: SMS, address: $a) "
        "{ channel } }",
        c=duplicate,
        a=phones["duplicate"],
    )
    for card, number in (("survivor", "S-1"), ("duplicate", "D-1")):
        await publish_to_pos_topic(system, pos_receipt(tenant, number, phones[card]))
    for card in ids.values():
        wait_for_balance(owner, card, "100.00")
        # And the summary's figure, which customers keeps from bonuses' events: a test that
        # stops bonuses next must not stop it before the event has left.
        eventually(functools.partial(_summary_balance_is, owner, card, "100.00"))
    return {"tenant": tenant, "owner": owner, "manager": manager, **ids}


def _summary_balance_is(owner: Any, customer: str, expected: str) -> None:
    assert owner(SUMMARY, c=customer)["customer"]["summary"]["bonusBalance"] == expected


def _merged_card(owner: Any, survivor: str) -> dict[str, Any]:
    card: dict[str, Any] = owner(CARD, c=survivor)["customer"]
    assert card["summary"] == {"purchases": 2, "revenue": "2000.00", "bonusBalance": "200.00"}
    assert card["purchaseStats"] == {"purchases": 2, "revenue": "2000.00"}
    assert card["bonuses"]["balance"] == "200.00"
    assert card["bonuses"]["operations"]["totalCount"] == 2
    return card


async def test_the_survivors_card_shows_both_cards_and_the_duplicate_is_gone(
    system: RunningSystem, as_staff: Any
) -> None:
    salon = await _two_cards(system, as_staff)
    owner, survivor, duplicate = salon["owner"], salon["survivor"], salon["duplicate"]

    merged = salon["manager"](MERGE, s=survivor, d=duplicate)["mergeCustomers"]
    assert merged == {"id": survivor, "lastName": "Соколова"}
    assert owner(CARD, c=duplicate)["customer"] is None
    listed = owner("{ customers { totalCount edges { node { id } } } }")["customers"]
    assert listed == {"totalCount": 1, "edges": [{"node": {"id": survivor}}]}

    card = eventually(lambda: _merged_card(owner, survivor))
    assert (card["firstName"], card["lastName"]) == ("Алина", "Соколова")
    assert card["segments"] == [{"name": "VIP"}]
    assert card["notes"]["totalCount"] == 1
    assert card["messengers"] == [{"channel": "SMS", "isDefault": True}]
    stranger = as_staff(f"salon-{uuid.uuid4().hex[:8]}", "OWNER")
    refused = stranger.raw(MERGE, s=survivor, d=duplicate)
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_merge_interrupted_by_a_killed_service_completes_once_it_is_back(
    system: RunningSystem, as_staff: Any
) -> None:
    salon = await _two_cards(system, as_staff)
    owner, survivor, duplicate = salon["owner"], salon["survivor"], salon["duplicate"]
    await asyncio.to_thread(system.kill_service, "bonuses")
    try:
        assert salon["manager"](MERGE, s=survivor, d=duplicate)["mergeCustomers"]["id"] == survivor

        def receipts_moved() -> None:
            summary = owner(SUMMARY, c=survivor)["customer"]["summary"]
            assert summary["purchases"] == 2
            # The bonuses service is down: its part, and with it the sum, waits.
            assert summary["bonusBalance"] == "100.00"

        eventually(receipts_moved)
        # Asked again while it waits: the same survivor, nothing done twice.
        again = salon["manager"](MERGE, s=survivor, d=duplicate)["mergeCustomers"]
        assert again["id"] == survivor
    finally:
        await asyncio.to_thread(system.start_service, "bonuses")

    card = eventually(lambda: _merged_card(owner, survivor), timeout=120)
    assert card["notes"]["totalCount"] == 1
