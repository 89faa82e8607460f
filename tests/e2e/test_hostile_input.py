"""Hostile text and numbers on every door: never an internal error, nothing stored from a
refused request. Generated inputs go through the gateway to each service's mutations and
to the POS paths."""

import json
import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcard_contracts.text import text_problem
from clientcard_devstack.wholestack import RunningSystem

from .tills import pos_receipt

pytestmark = pytest.mark.integration

# Text with the characters that used to reach the database: NUL, other controls, lone
# surrogates, and ordinary text around them.
hostile_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\ud800", "\udfff", "\t", "\n"]),
        st.characters(codec="utf-8"),
    ),
    min_size=1,
    max_size=40,
)
hostile_amounts = st.one_of(
    st.decimals(min_value=Decimal(10) ** 12, max_value=Decimal(10) ** 20, places=2),
    st.sampled_from([Decimal("1E+15"), Decimal("-0.01"), Decimal("0.001")]),
)
MUTATIONS = {
    "registerCustomer": 'mutation($t: String!) { registerCustomer(input: {phone: "+79160001122",'
    " firstName: $t}) { id } }",
    "addNote": "mutation($c: ID!, $t: String!) { addNote(customerId: $c, text: $t) { id } }",
    "sendMessage": "mutation($c: ID!, $t: String!) { sendMessage(customerId: $c, text: $t) {"
    " id } }",
    "accrueBonuses": 'mutation($c: ID!, $t: String) { accrueBonuses(customerId: $c, amount: "1.00",'
    " comment: $t) { id } }",
    "search": "query($t: String) { customers(filter: {search: $t}) { totalCount } }",
}


@pytest.fixture(scope="module")
def shop(system: RunningSystem, as_staff: Any) -> dict[str, Any]:
    tenant = f"salon-{uuid.uuid4().hex[:8]}"
    owner = as_staff(tenant, "OWNER")
    customer = owner('mutation { registerCustomer(input: {phone: "+79160009999"}) { id } }')[
        "registerCustomer"
    ]["id"]
    owner(
        "mutation($c: ID!) { linkMessenger(customerId: $c, channel: SMS, address: "
        '"+79160009999") { channel } }',
        c=customer,
    )
    secret = owner('mutation { createPosApiKey(outletId: "center", posId: "till-1") { secret } }')[
        "createPosApiKey"
    ]["secret"]
    base = system.service_urls["receipts"].removesuffix("/graphql")
    return {"owner": owner, "customer": customer, "secret": secret, "pos": base, "tenant": tenant}


def code(answer: dict[str, Any]) -> str | None:
    errors = answer.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=hostile_text)
def test_hostile_text_in_every_mutation_is_refused_or_stored_as_sent(
    shop: dict[str, Any], text: str
) -> None:
    owner, customer = shop["owner"], shop["customer"]
    storable = text_problem(text) is None
    for name, operation in MUTATIONS.items():
        variables = {"t": text, **({"c": customer} if "$c" in operation else {})}
        answer = owner.raw(operation, **variables)
        assert code(answer) != "INTERNAL_SERVER_ERROR", (name, answer)
        if not storable:
            assert code(answer) == "BAD_USER_INPUT", (name, answer)
    notes = owner(
        "query($c: ID!) { customer(id: $c) { notes { totalCount edges { node { text } } } } }",
        c=customer,
    )
    texts = [edge["node"]["text"] for edge in notes["customer"]["notes"]["edges"]]
    assert all(text_problem(t) is None for t in texts)  # nothing unstorable was stored


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=hostile_text, amount=hostile_amounts, where=st.sampled_from(["name", "sku", "number"]))
def test_hostile_pos_receipts_get_422_and_store_nothing(
    shop: dict[str, Any], text: str, amount: Decimal, where: str
) -> None:
    number = f"H-{uuid.uuid4().hex[:10]}"
    body = pos_receipt(shop["tenant"], number, "+79160009999")
    if where == "number":
        body["number"] = text[:64]
        number = body["number"]
    else:
        body["items"][0][where] = text
    # …and an amount no column can hold, on every receipt.
    body["items"][0]["amount"] = body["total"] = body["paid"] = format(amount, "f")
    answer = httpx.post(
        f"{shop['pos']}/pos/v1/receipts",
        content=json.dumps(body),
        headers={"authorization": f"Bearer {shop['secret']}", "content-type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 422, answer.text
    stored = shop["owner"](
        "query($c: ID!) { customer(id: $c) { receipts { edges { node { number } } } } }",
        c=shop["customer"],
    )
    numbers = [e["node"]["number"] for e in stored["customer"]["receipts"]["edges"]]
    assert number not in numbers
