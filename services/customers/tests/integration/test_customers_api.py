"""The customers subgraph end to end against the real PostgreSQL and Kafka."""

import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_contracts.enums import BonusEvent, BonusOperationType
from clientcard_contracts.events.bonuses import BonusAccountTotals, BonusTransactionRecorded
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database
from clientcard_kit.events import cloudevents
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.testing import eventually

pytestmark = pytest.mark.integration

REGISTER = """
mutation($input: RegisterCustomerInput!) {
  registerCustomer(input: $input) { id phone firstName gender registration { source } }
}"""
CARD = """
query($id: ID!) {
  customer(id: $id) {
    id phone firstName lastName
    segments { id name customersCount }
    notes(first: 2) { totalCount edges { node { text author } } pageInfo { hasNextPage endCursor } }
    summary { bonusBalance purchases }
  }
}"""


def tenant() -> str:
    return f"salon-{uuid.uuid4().hex[:8]}"


def phone() -> str:
    return f"+7912{uuid.uuid4().int % 10_000_000:07d}"


async def register(call: Any, **fields: object) -> dict[str, Any]:
    result = await call(REGISTER, input={"phone": phone(), **fields})
    assert "errors" not in result, result
    registered: dict[str, Any] = result["data"]["registerCustomer"]
    return registered


def error_code(result: dict[str, Any]) -> str:
    code: str = result["errors"][0]["extensions"]["code"]
    return code


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
        '{ customers(filter: {gender: FEMALE, search: "ар"}) { edges { node { firstName } } } }'
    )
    assert [edge["node"]["firstName"] for edge in women["data"]["customers"]["edges"]] == ["Дарья"]
    backwards = await call(
        "{ customers(filter: {purchasesMin: 3, purchasesMax: 1}) { totalCount } }"
    )
    assert error_code(backwards) == "BAD_USER_INPUT"


async def test_the_read_model_takes_the_newest_bonus_balance_whatever_the_order(
    as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer = await register(call)
    publisher = KafkaPublisher(customers_settings.kafka_bootstrap_servers, client_id="tests")
    await publisher.start()
    try:
        for version, balance in ((2, "150.00"), (1, "100.00"), (2, "150.00")):
            event = BonusTransactionRecorded(
                tenant_id=name,
                customer_id=uuid.UUID(customer["id"]),
                occurred_at="2026-11-01T10:00:00+00:00",
                operation_id=uuid.uuid4(),
                type=BonusOperationType.ACCRUAL,
                event=BonusEvent.MANUAL,
                amount="50.00",
                balance_after=balance,
                account=BonusAccountTotals(
                    version=version,
                    balance=balance,
                    accrued=balance,
                    spent="0",
                    expired="0",
                ),
            )
            headers, body = cloudevents.encode(cloudevents.CloudEvent.of(event, source="/tests"))
            await publisher.send(event.TOPIC, key=event.key().encode(), value=body, headers=headers)
    finally:
        await publisher.stop()

    async def balance_is(expected: str) -> bool:
        card = (await call(CARD, id=customer["id"]))["data"]["customer"]
        return bool(card["summary"]["bonusBalance"] == expected)

    await eventually(lambda: balance_is("150.00"), what="the bonus balance to arrive")
    filtered = await call('{ customers(filter: {bonusBalanceMin: "120.00"}) { totalCount } }')
    assert filtered["data"]["customers"]["totalCount"] == 1


async def test_changes_are_published_through_the_outbox(
    as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer = await register(call)
    await call(
        'mutation($id: ID!) { updateCustomer(id: $id, input: {lastName: "Сидорова"}) { id } }',
        id=customer["id"],
    )
    assert (await call("mutation($id: ID!) { deleteCustomer(id: $id) }", id=customer["id"]))["data"]
    db = Database(customers_settings.database_url)
    try:

        async def published() -> bool:
            async with db.transaction() as session:
                rows = await session.execute(
                    sa.text(
                        "SELECT event_type, published_at IS NOT NULL FROM outbox "
                        "WHERE tenant_id = :t ORDER BY seq"
                    ),
                    {"t": name},
                )
                return rows.all() == [
                    ("customers.customer.registered.v1", True),
                    ("customers.customer.updated.v1", True),
                    ("customers.customer.deleted.v1", True),
                ]

        await eventually(published, what="the three events to be published")
        async with db.transaction() as session:
            moments = list(
                await session.scalars(
                    sa.text(
                        "SELECT data->>'occurredAt' FROM outbox WHERE tenant_id = :t ORDER BY seq"
                    ),
                    {"t": name},
                )
            )
    finally:
        await db.dispose()
    # Each event is stamped with the moment of its own change, not of the registration.
    assert moments == sorted(moments)
    assert len(set(moments)) == 3
    assert (await call(CARD, id=customer["id"]))["data"]["customer"] is None


async def test_segment_changes_publish_the_full_current_list_with_a_growing_version(
    as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer = await register(call)
    created = [
        (await call("mutation($n: String!) { createSegment(name: $n) { id } }", n=label))["data"][
            "createSegment"
        ]["id"]
        for label in ("Постоянные", "Маникюр")
    ]
    assign = (
        "mutation($c: ID!, $s: [ID!]!) { assignSegments(customerId: $c, segmentIds: $s) { id } }"
    )
    await call(assign, c=customer["id"], s=created)
    await call(
        'mutation($s: ID!) { renameSegment(id: $s, name: "Постоянные+") { id } }', s=created[0]
    )
    await call("mutation($s: ID!) { deleteSegment(id: $s) }", s=created[1])

    db = Database(customers_settings.database_url)
    try:
        async with db.transaction() as session:
            rows = await session.execute(
                sa.text(
                    "SELECT data FROM outbox WHERE tenant_id = :t "
                    "AND event_type = 'customers.customer.segments.changed.v1' ORDER BY seq"
                ),
                {"t": name},
            )
            changes = [row.data for row in rows]
    finally:
        await db.dispose()
    assert [sorted(s["name"] for s in change["segments"]) for change in changes] == [
        ["Маникюр", "Постоянные"],
        ["Маникюр", "Постоянные+"],
        ["Постоянные+"],
    ]
    versions = [change["version"] for change in changes]
    assert versions == sorted(versions)
    assert len(set(versions)) == 3
