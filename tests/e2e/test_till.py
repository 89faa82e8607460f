"""The till's path through every real process: a client registered a second ago pays at
once, the till quotes and reserves bonuses, the receipt spends exactly them, a spend the
ledger refuses shows on the receipt, a late receipt is dated by its purchase, and a till
that kept a merged card's id reaches the survivor."""

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from clientcard_devstack.wholestack import RunningSystem

from .tills import eventually, pos_receipt, wait_for_balance

pytestmark = pytest.mark.integration

RECEIPT = """query($id: ID!) { receipt(id: $id) { number bonusesSpent bonusesAccrued
  bonusRedemption { requested applied status reason } } }"""
OPERATIONS = """query($c: ID!) { customer(id: $c) { bonuses { balance operations(first: 50) {
  edges { node { type event amount occurredAt recordedAt expiresAt receipt { number } } } } } } }"""


class Till:
    """A POS with its API key, calling the receipts service as a till does."""

    def __init__(self, system: RunningSystem, secret: str) -> None:
        self.base = system.service_urls["receipts"].removesuffix("/graphql") + "/pos/v1"
        self.headers = {"authorization": f"Bearer {secret}"}

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return httpx.post(f"{self.base}{path}", json=body, headers=self.headers, timeout=30)

    def delete(self, path: str) -> httpx.Response:
        return httpx.delete(f"{self.base}{path}", headers=self.headers, timeout=30)


@pytest.fixture(scope="module")
def salon(system: RunningSystem, as_staff: Any) -> dict[str, Any]:
    tenant = f"salon-{uuid.uuid4().hex[:8]}"
    owner, manager = as_staff(tenant, "OWNER"), as_staff(tenant, "MANAGER")
    owner(
        'mutation { updateLoyaltyProgram(input: {accrualPercent: "10.00", '
        'maxRedeemPercent: "50.00", expiryDays: 365, welcomeBonus: "100.00"}) { accrualPercent } }'
    )
    secret = owner('mutation { createPosApiKey(outletId: "center", posId: "till-1") { secret } }')[
        "createPosApiKey"
    ]["secret"]
    return {"tenant": tenant, "owner": owner, "manager": manager, "till": Till(system, secret)}


def register(manager: Any) -> tuple[str, str]:
    phone = f"+7916{uuid.uuid4().int % 10_000_000:07d}"
    data = manager("mutation($p: String!) { registerCustomer(input: {phone: $p}) { id } }", p=phone)
    return data["registerCustomer"]["id"], phone


def test_a_client_registered_a_second_ago_pays_by_id_at_once(salon: dict[str, Any]) -> None:
    manager, till, tenant = salon["manager"], salon["till"], salon["tenant"]
    for n in range(10):
        customer, _ = register(manager)
        body = pos_receipt(tenant, f"NEW-{n}", "+70000000000", customer={"id": customer})
        answer = till.post("/receipts", body)
        assert (answer.status_code, answer.json()["status"]) == (201, "REGISTERED"), answer.text


def test_quote_reserve_and_a_receipt_that_spends_exactly_the_reservation(
    salon: dict[str, Any],
) -> None:
    owner, manager, till, tenant = salon["owner"], salon["manager"], salon["till"], salon["tenant"]
    customer, phone = register(manager)
    wait_for_balance(owner, customer, "100.00")  # the welcome bonus

    quote = till.post("/bonus-quotes", {"customer": {"phone": phone}, "total": "1000.00"})
    assert quote.status_code == 200, quote.text
    assert quote.json() == {
        "balance": "100.00",
        "maxRedeemable": "100.00",
        "accrualIfNoRedeem": "100.00",
    }
    held = till.post(
        "/bonus-reservations", {"customer": {"id": customer}, "total": "1000.00", "amount": "80.00"}
    )
    assert held.status_code == 201, held.text
    reservation = held.json()
    assert (reservation["status"], reservation["amount"]) == ("HELD", "80.00")

    # What is held is no one else's: not another till's, not a manager's write-off.
    other_till = till.post(
        "/bonus-reservations", {"customer": {"id": customer}, "total": "1000.00", "amount": "50.00"}
    )
    assert other_till.status_code == 422, other_till.text
    write_off = manager.raw(
        'mutation($c: ID!) { writeOffBonuses(customerId: $c, amount: "30.00") { id } }', c=customer
    )
    assert write_off["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    again = till.post("/bonus-quotes", {"customer": {"id": customer}, "total": "1000.00"})
    assert again.json()["maxRedeemable"] == "20.00"

    sale = pos_receipt(
        tenant,
        "RES-1",
        phone,
        bonusesSpent="80.00",
        bonusReservationId=reservation["id"],
        purchasedAt=(datetime.now().astimezone() - timedelta(minutes=5)).isoformat(),
    )
    stored = till.post("/receipts", sale)
    assert stored.status_code == 201, stored.text
    wait_for_balance(owner, customer, "112.00")  # 100 - 80 + 10 % of the 920 paid

    def receipt_shows_its_bonuses() -> dict[str, Any]:
        # The receipts service learns them from the ledger's event a moment after.
        shown: dict[str, Any] = owner(RECEIPT, id=stored.json()["id"])["receipt"]
        assert (shown["bonusesSpent"], shown["bonusesAccrued"]) == ("80.00", "92.00")
        return shown

    shown = eventually(receipt_shows_its_bonuses)
    assert shown["bonusRedemption"] == {
        "requested": "80.00",
        "applied": "80.00",
        "status": "APPLIED",
        "reason": None,
    }
    spent = till.delete(f"/bonus-reservations/{reservation['id']}")
    assert spent.status_code == 422  # it was spent by the receipt: nothing to release

    # An unused reservation goes back with one call; releasing it again changes nothing.
    unused = till.post(
        "/bonus-reservations", {"customer": {"id": customer}, "total": "500.00", "amount": "50.00"}
    ).json()
    released = till.delete(f"/bonus-reservations/{unused['id']}")
    assert (released.status_code, released.json()["status"]) == (200, "RELEASED")
    assert till.delete(f"/bonus-reservations/{unused['id']}").json()["status"] == "RELEASED"
    quote = till.post("/bonus-quotes", {"customer": {"id": customer}, "total": "1000.00"})
    assert quote.json()["maxRedeemable"] == "112.00"


def test_a_spend_the_ledger_refuses_shows_on_the_receipt(salon: dict[str, Any]) -> None:
    owner, manager, till, tenant = salon["owner"], salon["manager"], salon["till"], salon["tenant"]
    customer, phone = register(manager)
    wait_for_balance(owner, customer, "100.00")
    greedy = pos_receipt(tenant, "REF-1", phone, bonusesSpent="400.00")
    stored = till.post("/receipts", greedy)
    assert stored.status_code == 201, stored.text

    def refused() -> dict[str, Any]:
        found = owner(RECEIPT, id=stored.json()["id"])["receipt"]
        assert found["bonusRedemption"] is not None
        return dict(found)

    shown = eventually(refused)
    redemption = shown["bonusRedemption"]
    assert (redemption["status"], redemption["requested"], redemption["applied"]) == (
        "REFUSED",
        "400.00",
        "0.00",
    )
    assert "100.00" in redemption["reason"]
    assert shown["bonusesSpent"] == "0.00"


def test_a_late_receipt_is_dated_and_expires_by_its_purchase(salon: dict[str, Any]) -> None:
    owner, manager, till, tenant = salon["owner"], salon["manager"], salon["till"], salon["tenant"]
    customer, phone = register(manager)
    wait_for_balance(owner, customer, "100.00")
    bought = "2026-10-27T12:00:00+00:00"
    late = pos_receipt(tenant, "LATE-1", phone, purchasedAt=bought)
    assert till.post("/receipts", late).status_code == 201
    wait_for_balance(owner, customer, "200.00")
    operations = owner(OPERATIONS, c=customer)["customer"]["bonuses"]["operations"]["edges"]
    [accrual] = [
        edge["node"]
        for edge in operations
        if edge["node"]["receipt"] and edge["node"]["receipt"]["number"] == "LATE-1"
    ]
    assert datetime.fromisoformat(accrual["occurredAt"]) == datetime.fromisoformat(bought)
    assert datetime.fromisoformat(accrual["recordedAt"]) > datetime.fromisoformat(bought)
    assert datetime.fromisoformat(accrual["expiresAt"]) == datetime.fromisoformat(
        bought
    ) + timedelta(days=365)


def test_writes_on_an_id_that_is_no_customer_are_not_found(salon: dict[str, Any]) -> None:
    manager, till = salon["manager"], salon["till"]
    phantom = str(uuid.uuid4())
    for mutation in (
        'accrueBonuses(customerId: $c, amount: "10.00") { id }',
        'linkMessenger(customerId: $c, channel: SMS, address: "+79160000001") { channel }',
        'sendMessage(customerId: $c, text: "Здравствуйте") { id }',
        'reserveBonuses(customerId: $c, total: "100.00", amount: "10.00") { id }',
    ):
        answer = manager.raw(f"mutation($c: ID!) {{ {mutation} }}", c=phantom)
        assert answer["errors"][0]["extensions"]["code"] == "NOT_FOUND", (mutation, answer)
    quote = till.post("/bonus-quotes", {"customer": {"id": phantom}, "total": "100.00"})
    assert quote.status_code == 404


def test_a_changed_phone_finds_the_client_at_the_till_and_the_old_one_no_longer(
    salon: dict[str, Any],
) -> None:
    manager, till, tenant = salon["manager"], salon["till"], salon["tenant"]
    customer, old = register(manager)
    new = f"+7903{uuid.uuid4().int % 10_000_000:07d}"
    spelled = f"8 ({new[2:5]}) {new[5:8]}-{new[8:10]}-{new[10:]}"
    changed = manager(
        "mutation($c: ID!, $p: String!) { updateCustomer(id: $c, input: {phone: $p}) { phone } }",
        c=customer,
        p=spelled,
    )
    assert changed["updateCustomer"]["phone"] == new

    # Receipts learn the new phone from `customer.updated`; until then they ask customers.
    def the_old_phone_is_forgotten() -> None:
        quote = till.post("/bonus-quotes", {"customer": {"phone": old}, "total": "100.00"})
        assert quote.status_code == 404, quote.text

    eventually(the_old_phone_is_forgotten)
    paid = till.post("/receipts", pos_receipt(tenant, "NEW-PHONE-1", new))
    assert (paid.status_code, paid.json()["status"]) == (201, "REGISTERED"), paid.text
    stray = till.post("/receipts", pos_receipt(tenant, "OLD-PHONE-1", old))
    # Nobody has the old phone now: the receipt waits for its customer to register.
    assert (stray.status_code, stray.json()["status"]) == (202, "WAITING_FOR_CUSTOMER")

    def the_receipt_is_the_clients() -> None:
        data = manager(
            "query($c: ID!) { customer(id: $c) { receipts(first: 5) {"
            " edges { node { number } } } } }",
            c=customer,
        )
        numbers = [e["node"]["number"] for e in data["customer"]["receipts"]["edges"]]
        assert numbers == ["NEW-PHONE-1"]

    eventually(the_receipt_is_the_clients)


def test_a_till_that_kept_a_merged_cards_id_reaches_the_survivor(salon: dict[str, Any]) -> None:
    owner, manager, till, tenant = salon["owner"], salon["manager"], salon["till"], salon["tenant"]
    (survivor, _), (duplicate, _) = register(manager), register(manager)
    owner(
        "mutation($s: ID!, $d: ID!) { mergeCustomers(survivorId: $s, duplicateId: $d) { id } }",
        s=survivor,
        d=duplicate,
    )
    # At once, before the merge's event may have reached receipts, and after it alike.
    paid = till.post(
        "/receipts", pos_receipt(tenant, "MERGED-1", "+70000000000", customer={"id": duplicate})
    )
    assert (paid.status_code, paid.json()["status"]) == (201, "REGISTERED"), paid.text

    def quoted_as_the_survivor() -> None:
        asked = {"total": "1000.00"}
        by_old = till.post("/bonus-quotes", {**asked, "customer": {"id": duplicate}})
        by_survivor = till.post("/bonus-quotes", {**asked, "customer": {"id": survivor}})
        assert by_old.status_code == 200, by_old.text
        assert by_old.json() == by_survivor.json()

    eventually(quoted_as_the_survivor)

    def the_receipt_is_the_survivors() -> None:
        data = manager(
            "query($c: ID!) { customer(id: $c) { receipts(first: 5) {"
            " edges { node { number } } } } }",
            c=survivor,
        )
        assert [e["node"]["number"] for e in data["customer"]["receipts"]["edges"]] == ["MERGED-1"]

    eventually(the_receipt_is_the_survivors)
