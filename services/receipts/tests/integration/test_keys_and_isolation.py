"""POS API keys, and one tenant never reaching another's receipts on any path."""

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from clientcard_kit.db import Database
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.testing import statements_sent

from .conftest import phone, publish_pos, receipt, register_customer, stored, tenant, wait_stored
from .test_ingestion import CREATE_KEY, REGISTER, api_key, manual, post

pytestmark = pytest.mark.integration

KEYS = "{ posApiKeys { id outletId posId createdAt revokedAt } }"
REVOKE = "mutation($id: ID!) { revokePosApiKey(id: $id) { id revokedAt } }"
RECEIPT = "query($id: ID!) { receipt(id: $id) { id number customer { id } } }"
ENTITIES = """query($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on Receipt { id number total originalReceipt { id } } }
}"""


def code(result: dict[str, Any]) -> str:
    found: str = result["errors"][0]["extensions"]["code"]
    return found


async def test_key_lifecycle_secret_once_hash_kept_revoked_key_refused(
    as_tenant: Any, client: httpx.AsyncClient, db: Database
) -> None:
    shop = tenant()
    owner = as_tenant(shop, "OWNER")
    created = (await owner(CREATE_KEY, outlet="shop-1", pos="pos-1"))["data"]["createPosApiKey"]
    secret, key = created["secret"], created["apiKey"]
    assert (key["outletId"], key["posId"], key["revokedAt"]) == ("shop-1", "pos-1", None)
    listed = (await owner(KEYS))["data"]["posApiKeys"]
    assert [k["id"] for k in listed] == [key["id"]]
    assert secret not in json.dumps(listed)
    async with db.transaction(shop) as session:
        kept = await session.scalar(sa.text("SELECT secret_hash FROM pos_api_keys"))
    assert kept
    assert secret not in kept

    for role in ("MANAGER", "VIEWER"):
        call = as_tenant(shop, role)
        assert code(await call(CREATE_KEY, outlet="o", pos="p")) == "FORBIDDEN"
        assert code(await call(KEYS)) == "FORBIDDEN"
        assert code(await call(REVOKE, id=key["id"])) == "FORBIDDEN"
    assert code(await owner(CREATE_KEY, outlet=" ", pos="p")) == "BAD_USER_INPUT"

    document = receipt(shop, "R-1", {"phone": phone()})
    assert (await post(client, secret, document)).status_code == 202  # waits for its phone
    revoked = (await owner(REVOKE, id=key["id"]))["data"]["revokePosApiKey"]
    assert revoked["revokedAt"] is not None
    assert (await post(client, secret, document)).status_code == 401
    assert (await owner(KEYS))["data"]["posApiKeys"][0]["revokedAt"] == revoked["revokedAt"]
    other = as_tenant(tenant(), "OWNER")
    assert code(await other(REVOKE, id=key["id"])) == "NOT_FOUND"


async def test_tenants_are_isolated_on_every_path(
    as_tenant: Any, client: httpx.AsyncClient, kafka: KafkaPublisher, db: Database
) -> None:
    shop_a, shop_b, number = tenant(), tenant(), phone()
    customer_b = await register_customer(kafka, db, shop_b, number)
    key_a = await api_key(as_tenant, shop_a)

    # A's key cannot write B's receipt, nor link to B's customer.
    into_b = await post(client, key_a, receipt(shop_b, "R-1", {"phone": number}))
    assert into_b.status_code == 422
    by_id = await post(client, key_a, receipt(shop_a, "R-1", {"id": customer_b}))
    assert by_id.json()["problems"][0]["path"] == "customer.id"
    # A forged key naming B in its tenant part is not a key.
    b_part = base64.urlsafe_b64encode(shop_b.encode()).decode().rstrip("=")
    forged = key_a.replace(key_a.split(".")[1], b_part)
    assert (
        await post(client, forged, receipt(shop_b, "R-1", {"phone": number}))
    ).status_code == 401

    # B's receipt over Kafka, then A looks for it by id, by entity and by customer.
    await publish_pos(kafka, receipt(shop_b, "R-1", {"phone": number}))
    receipt_b = str((await wait_stored(db, shop_b, "R-1")).id)
    assert await stored(db, shop_a, "R-1") == []
    reader_a = as_tenant(shop_a, "VIEWER")
    assert (await reader_a(RECEIPT, id=receipt_b))["data"]["receipt"] is None
    reps = [{"__typename": "Receipt", "id": receipt_b}]
    assert (await reader_a(ENTITIES, reps=reps))["data"]["_entities"] == [None]
    figures = (
        "query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer "
        "{ purchaseStats { purchases } receipts { totalCount } } } }"
    )
    as_customer = [{"__typename": "Customer", "id": customer_b}]
    seen = (await reader_a(figures, reps=as_customer))["data"]["_entities"][0]
    assert seen == {"purchaseStats": {"purchases": 0}, "receipts": {"totalCount": 0}}
    assert (await as_tenant(shop_b, "VIEWER")(RECEIPT, id=receipt_b))["data"]["receipt"][
        "customer"
    ] == {"id": customer_b}
    # The mutation writes only into the caller's tenant, whatever it names.
    by_hand = await as_tenant(shop_a)(
        REGISTER, input=manual(receipt(shop_b, "R-1", {"phone": number}))
    )
    created = by_hand["data"]["registerReceipt"]["id"]
    assert created != receipt_b
    assert len(await stored(db, shop_a, "R-1")) == 1


@contextmanager
def counting_selects(app: Any) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "receipts" in statement:
            seen.append(statement)

    with statements_sent(app.state.runtime.db, record):
        yield seen


async def test_receipt_entities_are_read_in_one_query(
    as_tenant: Any, client: httpx.AsyncClient, app: Any
) -> None:
    shop = tenant()
    key = await api_key(as_tenant, shop)
    ids = []
    for n in range(5):
        response = await post(client, key, receipt(shop, f"R-{n}", {"phone": phone()}))
        ids.append(response.json()["id"])
    reps = [{"__typename": "Receipt", "id": receipt_id} for receipt_id in reversed(ids)]
    with counting_selects(app) as selects:
        result = await as_tenant(shop, "VIEWER")(ENTITIES, reps=reps)
    assert [entity["id"] for entity in result["data"]["_entities"]] == list(reversed(ids))
    assert len(selects) == 1


async def test_the_pos_endpoint_is_described_in_openapi(client: httpx.AsyncClient) -> None:
    described = (await client.get("/openapi.json")).json()
    operation = described["paths"]["/pos/v1/receipts"]["post"]
    assert set(operation["responses"]) >= {"200", "201", "401", "422"}
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "tenantId" not in body["required"]
    assert body["properties"]["items"]["items"]["properties"]["quantity"]["pattern"]
    assert operation["security"] == [{"HTTPBearer": []}]


async def test_a_body_over_the_limit_gets_413_on_every_door(
    as_tenant: Any, client: httpx.AsyncClient
) -> None:
    shop = tenant()
    created = await as_tenant(shop, "OWNER")(CREATE_KEY, outlet="shop-1", pos="pos-1")
    secret = created["data"]["createPosApiKey"]["secret"]
    huge = b'{"padding": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    for path, headers in (
        ("/pos/v1/receipts", {"authorization": f"Bearer {secret}"}),
        ("/pos/v1/bonus-quotes", {"authorization": f"Bearer {secret}"}),
        ("/graphql", {}),
    ):
        answer = await client.post(
            path, content=huge, headers={**headers, "content-type": "application/json"}
        )
        assert answer.status_code == 413, path
