"""The customers subgraph end to end against the real PostgreSQL and Kafka."""

import uuid
from typing import Any

import pytest

from .calls import CARD, REGISTER, error_code, phone, register, tenant

pytestmark = pytest.mark.integration


async def test_a_registered_customer_has_an_e164_phone_and_one_phone_is_one_customer(
    as_tenant: Any,
) -> None:
    call = as_tenant(tenant())
    result = await call(REGISTER, input={"phone": "8 (912) 000-11-22", "firstName": " Анна "})
    customer = result["data"]["registerCustomer"]
    assert (customer["phone"], customer["firstName"]) == ("+79120001122", "Анна")
    assert customer["registration"]["source"] == "MANUAL"

    again = await call(REGISTER, input={"phone": "+7 912 000 11 22"})
    assert error_code(again) == "CONFLICT"
    assert again["errors"][0]["extensions"]["existingCustomerId"] == customer["id"]
    found = await call("query($p: String!) { customerByPhone(phone: $p) { id } }", p="89120001122")
    assert found["data"]["customerByPhone"]["id"] == customer["id"]


async def test_bad_input_is_refused_with_a_code_and_nothing_is_written(as_tenant: Any) -> None:
    call = as_tenant(tenant())
    for bad in (
        {"phone": "12"},
        {"phone": phone(), "email": "anna@"},
        {"phone": phone(), "birthDate": "2999-01-01"},
    ):
        result = await call(REGISTER, input=bad)
        assert error_code(result) == "BAD_USER_INPUT", result
    listed = await call("{ customers { totalCount } }")
    assert listed["data"]["customers"]["totalCount"] == 0
    too_many = await call("{ customers(first: 201) { totalCount } }")
    assert error_code(too_many) == "BAD_USER_INPUT"


async def test_a_viewer_reads_but_cannot_write(as_tenant: Any) -> None:
    name = tenant()
    viewer = as_tenant(name, "VIEWER")
    result = await viewer(REGISTER, input={"phone": phone()})
    assert error_code(result) == "FORBIDDEN"
    assert "errors" not in await viewer("{ segments { id } }")


async def test_another_tenant_sees_nothing_through_queries_entities_or_mutations(
    as_tenant: Any,
) -> None:
    owner, stranger = as_tenant(tenant()), as_tenant(tenant())
    customer = await register(owner, firstName="Ольга")
    assert (await stranger(CARD, id=customer["id"]))["data"]["customer"] is None
    entities = await stranger(
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id } } }",
        r=[{"__typename": "Customer", "id": customer["id"]}],
    )
    assert entities["data"]["_entities"] == [None]
    note = await stranger(
        'mutation($c: ID!) { addNote(customerId: $c, text: "x") { id } }', c=customer["id"]
    )
    assert error_code(note) == "NOT_FOUND"
    listed = await stranger("{ customers { totalCount edges { node { id } } } }")
    assert listed["data"]["customers"]["totalCount"] == 0


async def test_segments_notes_and_the_card(as_tenant: Any) -> None:
    call = as_tenant(tenant())
    customer = await register(call, firstName="Мария")
    vip = (await call('mutation { createSegment(name: "VIP") { id } }'))["data"]["createSegment"]
    duplicate = await call('mutation { createSegment(name: " vip ") { id } }')
    assert error_code(duplicate) == "CONFLICT"
    assigned = await call(
        "mutation($c: ID!, $s: [ID!]!) { assignSegments(customerId: $c, segmentIds: $s) { id } }",
        c=customer["id"],
        s=[vip["id"]],
    )
    assert "errors" not in assigned
    unknown = await call(
        "mutation($c: ID!, $s: [ID!]!) { assignSegments(customerId: $c, segmentIds: $s) { id } }",
        c=customer["id"],
        s=[str(uuid.uuid4())],
    )
    assert error_code(unknown) == "NOT_FOUND"
    for text in ("first visit", "likes coloring", "  latest  "):
        await call(
            "mutation($c: ID!, $t: String!) { addNote(customerId: $c, text: $t) { id } }",
            c=customer["id"],
            t=text,
        )
    empty = await call(
        'mutation($c: ID!) { addNote(customerId: $c, text: "   ") { id } }', c=customer["id"]
    )
    assert error_code(empty) == "BAD_USER_INPUT"

    card = (await call(CARD, id=customer["id"]))["data"]["customer"]
    assert card["segments"] == [{"id": vip["id"], "name": "VIP", "customersCount": 1}]
    notes = card["notes"]
    assert notes["totalCount"] == 3
    assert [edge["node"]["text"] for edge in notes["edges"]] == ["latest", "likes coloring"]
    assert notes["edges"][0]["node"]["author"].startswith("manager@")
    assert notes["pageInfo"]["hasNextPage"] is True

    assert (await call("mutation($s: ID!) { deleteSegment(id: $s) }", s=vip["id"]))["data"]
    card = (await call(CARD, id=customer["id"]))["data"]["customer"]
    assert card["segments"] == []


async def test_the_client_list_filters_orders_and_pages_by_keyset(as_tenant: Any) -> None:
    call = as_tenant(tenant())
    names = ["Анна", "Борис", "Вера", "Глеб", "Дарья"]
    for name in names:
        await register(
            call, firstName=name, gender="MALE" if name in ("Борис", "Глеб") else "FEMALE"
        )
    query = """query($after: String) {
      customers(first: 2, after: $after, orderBy: {field: NAME, direction: ASC}) {
        totalCount edges { node { firstName } } pageInfo { hasNextPage endCursor } } }"""
    first = (await call(query))["data"]["customers"]
    assert [edge["node"]["firstName"] for edge in first["edges"]] == ["Анна", "Борис"]
    # A customer added in front of the cursor between two pages shifts nothing.
    await register(call, firstName="Алла")
    second = (await call(query, after=first["pageInfo"]["endCursor"]))["data"]["customers"]
    assert [edge["node"]["firstName"] for edge in second["edges"]] == ["Вера", "Глеб"]
    assert second["totalCount"] == 6

    women = await call(
        '{ customers(filter: {gender: FEMALE, search: "дар"}) { edges { node { firstName } } } }'
    )
    assert [edge["node"]["firstName"] for edge in women["data"]["customers"]["edges"]] == ["Дарья"]
    backwards = await call(
        "{ customers(filter: {purchasesMin: 3, purchasesMax: 1}) { totalCount } }"
    )
    assert error_code(backwards) == "BAD_USER_INPUT"
    fresh = await call(
        "{ customers(filter: {registrationSources: [MANUAL], hasMessenger: false,"
        " npsCategory: NONE}, orderBy: {field: LAST_NPS_SCORE}) { totalCount } }"
    )
    assert fresh["data"]["customers"]["totalCount"] == 6
    no_such_month = await call("{ customers(filter: {birthMonth: 13}) { totalCount } }")
    assert error_code(no_such_month) == "BAD_USER_INPUT"
    assert "birthMonth" in no_such_month["errors"][0]["message"]


EDIT = """
mutation($id: ID!, $input: UpdateCustomerInput!) {
  updateCustomer(id: $id, input: $input) { phone firstName questionnaire { question answer } }
}"""


async def test_the_phone_and_the_questionnaire_are_edited_and_the_phone_stays_unique(
    as_tenant: Any,
) -> None:
    call = as_tenant(tenant())
    anna, boris = await register(call, firstName="Анна"), await register(call, firstName="Борис")
    answers = [{"question": "Любимый мастер", "answer": "Ольга"}]
    edited = await call(
        EDIT, id=anna["id"], input={"phone": "8 (903) 555-01-02", "questionnaire": answers}
    )
    assert edited["data"]["updateCustomer"] == {
        "phone": "+79035550102",
        "firstName": "Анна",
        "questionnaire": answers,
    }
    found = '{ customers(filter: {search: "%s"}) { edges { node { firstName } } } }'
    by_new = await call(found % "+7 903 555-01-02")
    assert [e["node"]["firstName"] for e in by_new["data"]["customers"]["edges"]] == ["Анна"]
    by_old = await call(found % anna["phone"])
    assert by_old["data"]["customers"]["edges"] == []

    taken = await call(EDIT, id=anna["id"], input={"phone": boris["phone"]})
    assert error_code(taken) == "CONFLICT"
    assert taken["errors"][0]["extensions"]["existingCustomerId"] == boris["id"]
    for bad in (
        {"phone": None},
        {"phone": "12"},
        {"questionnaire": [{"question": " ", "answer": ""}]},
    ):
        assert error_code(await call(EDIT, id=anna["id"], input=bad)) == "BAD_USER_INPUT", bad

    # Nothing of the refused edits was written; a null questionnaire clears the answers.
    cleared = await call(EDIT, id=anna["id"], input={"questionnaire": None})
    assert cleared["data"]["updateCustomer"] == {
        "phone": "+79035550102",
        "firstName": "Анна",
        "questionnaire": [],
    }


async def test_a_dynamic_segment_through_the_api(as_tenant: Any) -> None:
    call = as_tenant(tenant())
    anna = await register(call, firstName="Анна", gender="FEMALE")
    await register(call, firstName="Борис", gender="MALE")
    created = await call(
        'mutation { createSegment(name: "Женщины", filter: {gender: FEMALE, birthMonth: null})'
        " { id kind filter customersCount } }"
    )
    segment = created["data"]["createSegment"]
    assert (segment["kind"], segment["filter"], segment["customersCount"]) == (
        "DYNAMIC",
        '{"gender": "FEMALE"}',
        1,
    )
    manual = (await call('mutation { createSegment(name: "VIP") { kind filter } }'))["data"]
    assert manual["createSegment"] == {"kind": "MANUAL", "filter": None}
    by_hand = await call(
        "mutation($c: ID!, $s: [ID!]!) { assignSegments(customerId: $c, segmentIds: $s) { id } }",
        c=anna["id"],
        s=[segment["id"]],
    )
    assert error_code(by_hand) == "BAD_USER_INPUT"
    bad = await call('mutation { createSegment(name: "x", filter: {birthMonth: 13}) { id } }')
    assert error_code(bad) == "BAD_USER_INPUT"
