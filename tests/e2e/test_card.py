"""The whole customer card through the gateway, after everything happened the real way.

Every process is real: the four services, the gateway, PostgreSQL and Kafka. The story is
a salon's: a client registers, gets a segment and a note, links Telegram, buys at two tills
(one sends over Kafka, one over HTTP) paying partly with bonuses, brings half of a purchase
back, has bonuses written off by hand and answers the NPS survey. Then one query shows all
eight sections of the card, consistent with that story.
"""

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from clientcard_devstack.wholestack import RunningSystem

from .tills import (
    eventually,
    pos_http,
    pos_receipt,
    publish_to_pos_topic,
    sandbox_says,
    wait_for_balance,
)

pytestmark = pytest.mark.integration

# The card query the README shows and `make card` sends: the test proves it works.
CARD = (Path(__file__).parents[2] / "docs" / "examples" / "card.graphql").read_text()


@pytest.fixture(scope="module")
def story(system: RunningSystem, as_staff: Any) -> dict[str, Any]:
    """Everything a client's card is made of, done through the public paths."""
    tenant = f"salon-{uuid.uuid4().hex[:8]}"
    owner = as_staff(tenant, "OWNER")
    manager = as_staff(tenant, "MANAGER")
    phone = f"+7916{uuid.uuid4().int % 10_000_000:07d}"
    owner(
        'mutation { updateLoyaltyProgram(input: {accrualPercent: "10.00", '
        'maxRedeemPercent: "50.00", expiryDays: 365, welcomeBonus: "100.00"}) { accrualPercent } }'
    )
    customer = manager(
        """mutation($p: String!) { registerCustomer(input: {
            phone: $p, firstName: "Алина", lastName: "Соколова", gender: FEMALE,
            source: POS, outletId: "center",
            questionnaire: [{question: "Как вы о нас узнали?", answer: "От друзей"}]
        }) { id } }""",
        p=phone,
    )["registerCustomer"]["id"]
    segment = manager('mutation { createSegment(name: "VIP") { id } }')["createSegment"]["id"]
    manager(
        "mutation($c: ID!, $s: [ID!]!) { assignSegments(customerId: $c, segmentIds: $s) { id } }",
        c=customer,
        s=[segment],
    )
    manager(
        'mutation($c: ID!) { addNote(customerId: $c, text: "Любит капучино") { id } }', c=customer
    )
    manager(
        'mutation($c: ID!) { linkMessenger(customerId: $c, channel: TELEGRAM, address: "777001") '
        "{ channel } }",
        c=customer,
    )
    # The welcome bonus first, so that the purchases below find it on account.
    wait_for_balance(owner, customer, "100.00")
    secret = owner('mutation { createPosApiKey(outletId: "center", posId: "till-1") { secret } }')[
        "createPosApiKey"
    ]["secret"]
    return {
        "tenant": tenant,
        "owner": owner,
        "manager": manager,
        "customer": customer,
        "phone": phone,
        "secret": secret,
    }


TWO_ITEMS = [
    {"name": "Окрашивание", "quantity": "1", "price": "1000.00", "amount": "1000.00"},
    {"name": "Маска для волос", "quantity": "2", "price": "500.00", "amount": "1000.00"},
]


async def test_the_whole_card_in_one_query(system: RunningSystem, story: dict[str, Any]) -> None:
    tenant, phone, customer = story["tenant"], story["phone"], story["customer"]
    owner, manager = story["owner"], story["manager"]

    # The till publishing over Kafka: a sale paid in full; 10 % of it accrues.
    await publish_to_pos_topic(system, pos_receipt(tenant, "K-1", phone))
    wait_for_balance(owner, customer, "200.00")

    # The till calling HTTP: two items, 150 of 2000 paid with bonuses; sent twice.
    sale = pos_receipt(
        tenant,
        "H-1",
        phone,
        items=TWO_ITEMS,
        bonusesSpent="150.00",
        purchasedAt="2026-11-21T10:00:00+00:00",
    )
    first, again = pos_http(system, story["secret"], sale), pos_http(system, story["secret"], sale)
    assert (first.status_code, again.status_code) == (201, 200), (first.text, again.text)
    assert first.json()["id"] == again.json()["id"]
    wait_for_balance(owner, customer, "235.00")  # 200 - 150 + 10 % of the 1850 paid

    # Half of it comes back: the accrual is reversed by half, half the bonuses return.
    back = pos_receipt(
        tenant,
        "H-1R",
        phone,
        type="RETURN",
        originalNumber="H-1",
        items=TWO_ITEMS[1:],
        purchasedAt="2026-11-22T10:00:00+00:00",
    )
    returned = pos_http(system, story["secret"], back)
    assert returned.status_code == 201, returned.text
    wait_for_balance(owner, customer, "217.50")  # 235 - 92.50 + 75

    manager(
        'mutation($c: ID!) { writeOffBonuses(customerId: $c, amount: "17.50", '
        'comment: "Подарок на день рождения") { balanceAfter } }',
        c=customer,
    )

    # The survey goes to Telegram after the first sale; the client answers it once it
    # has reached them (the send queue delivers it a moment after it was written).
    def survey_was_delivered() -> None:
        data = owner(CARD, id=customer)["customer"]["conversation"]["edges"]
        surveys = [edge["node"] for edge in data if edge["node"]["kind"] == "SURVEY"]
        assert surveys
        assert surveys[0]["status"] in ("SENT", "DELIVERED", "READ")

    eventually(survey_was_delivered)
    sandbox_says(system, tenant, "777001", "9 Очень понравилось")

    def card_tells_the_story() -> dict[str, Any]:
        card: dict[str, Any] = owner(CARD, id=customer)["customer"]
        assert card["summary"]["lastNpsScore"] == 9, (card["summary"], card["nps"])
        assert card["summary"]["bonusBalance"] == "200.00"
        assert card["summary"]["purchases"] == 2
        # The bonuses of each receipt, which the receipts service learns from the ledger.
        receipts = {edge["node"]["number"]: edge["node"] for edge in card["receipts"]["edges"]}
        assert receipts["H-1"]["bonusesSpent"] == "150.00"
        assert receipts["H-1"]["bonusesAccrued"] == "185.00"
        assert receipts["K-1"]["bonusesAccrued"] == "100.00"
        return card

    card = eventually(card_tells_the_story)
    # Profile, registration, questionnaire, segments, notes (customers).
    assert (card["firstName"], card["lastName"], card["phone"]) == ("Алина", "Соколова", phone)
    assert (card["registration"]["source"], card["registration"]["outletId"]) == ("POS", "center")
    assert card["questionnaire"] == [{"question": "Как вы о нас узнали?", "answer": "От друзей"}]
    assert [(s["name"], s["customersCount"]) for s in card["segments"]] == [("VIP", 1)]
    assert card["notes"]["edges"][0]["node"]["text"] == "Любит капучино"
    assert card["summary"]["messengerStatus"] == "ACTIVE"
    assert card["summary"]["defaultChannel"] == "TELEGRAM"
    # Figures and receipts (receipts), with the bonuses of each receipt (bonuses).
    assert card["purchaseStats"]["purchases"] == 2
    assert card["purchaseStats"]["returns"] == 1
    receipts = {edge["node"]["number"]: edge["node"] for edge in card["receipts"]["edges"]}
    assert card["receipts"]["totalCount"] == 3
    assert receipts["H-1R"]["originalReceipt"] == {"number": "H-1"}
    assert receipts["H-1R"]["bonusesSpent"] == "-75.00"  # given back with half the sale
    # Bonus statistics and operations (bonuses).
    bonuses = card["bonuses"]
    assert bonuses["balance"] == "200.00"
    assert bonuses["accrued"] == "460.00"  # 100 welcome + 100 + 185 + 75 given back
    assert bonuses["operations"]["totalCount"] == 7
    assert bonuses["operations"]["edges"][0]["node"]["comment"] == "Подарок на день рождения"
    # Messengers, correspondence, NPS (messaging).
    assert card["messengers"][0]["channel"] == "TELEGRAM"
    assert card["messengers"][0]["isDefault"] is True
    kinds = {
        (edge["node"]["direction"], edge["node"]["kind"]) for edge in card["conversation"]["edges"]
    }
    assert ("OUTBOUND", "SURVEY") in kinds
    assert card["nps"]["lastScore"] == 9
    assert card["nps"]["responses"][0]["comment"] == "Очень понравилось"
    story["receipt"] = first.json()


def test_another_tenant_sees_none_of_it(
    system: RunningSystem, story: dict[str, Any], as_staff: Any
) -> None:
    stranger = as_staff(f"other-{uuid.uuid4().hex[:8]}", "OWNER")
    card = stranger("query($c: ID!) { customer(id: $c) { id } }", c=story["customer"])
    assert card["customer"] is None
    assert stranger("{ customers { totalCount } }")["customers"]["totalCount"] == 0
    by_phone = stranger(
        "query($p: String!) { customerByPhone(phone: $p) { id } }", p=story["phone"]
    )
    assert by_phone["customerByPhone"] is None
    assert stranger("{ posApiKeys { id } }")["posApiKeys"] == []
    if "receipt" in story:  # stored by the card's test, when it ran first
        found = stranger("query($r: ID!) { receipt(id: $r) { id } }", r=story["receipt"]["id"])
        assert found["receipt"] is None
    # The first merchant's POS key cannot put a receipt into the stranger's account.
    foreign = pos_receipt(stranger.tenant, "X-1", story["phone"])
    refused = pos_http(system, story["secret"], foreign)
    assert refused.status_code in (403, 422), refused.text


def test_a_bad_token_is_refused_at_the_gateway_and_at_a_subgraph(system: RunningSystem) -> None:
    query = {"query": "{ loyaltyProgram { accrualPercent } }"}
    headers = {"authorization": "Bearer not-a-token"}
    at_gateway = httpx.post(system.gateway_url, json=query, headers=headers, timeout=30)
    assert at_gateway.status_code == 401
    at_subgraph = httpx.post(
        system.service_urls["bonuses"], json=query, headers=headers, timeout=30
    )
    errors = at_subgraph.json()["errors"]
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_queries_over_the_depth_or_cost_limit_are_refused(story: dict[str, Any]) -> None:
    owner = story["owner"]
    deep = "originalReceipt { " * 12 + "id" + " }" * 12
    too_deep = owner.raw(f'{{ receipt(id: "{uuid.uuid4()}") {{ {deep} }} }}')
    assert "depth" in json.dumps(too_deep["errors"]).lower()
    costly = owner.raw(
        "{ customers(first: 200) { edges { node { receipts(first: 200) "
        "{ edges { node { items { name } } } } } } } }"
    )
    assert "cost" in json.dumps(costly["errors"]).lower()
    assert costly.get("data") is None


def test_a_stopped_subgraph_leaves_the_rest_of_the_answer(
    system: RunningSystem, story: dict[str, Any]
) -> None:
    # Last in this module: it stops the messaging service and starts it again.
    system.stop_service("messaging")
    try:
        answer = story["owner"].raw(
            "query($c: ID!) { segments { name } "
            "customer(id: $c) { firstName messengers { channel } } }",
            c=story["customer"],
        )
    finally:
        system.start_service("messaging")
    assert answer["data"]["segments"] == [{"name": "VIP"}]
    assert "messaging" in json.dumps(answer["errors"])
