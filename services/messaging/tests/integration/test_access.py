"""Tenants see only their own data, roles limit what staff may do, erasure removes all."""

import uuid
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from clientcard_kit.db import Database
from clientcard_messaging.settings import MessagingSettings

from .conftest import tenant
from .support import (
    LINK,
    SEND,
    conversation,
    deleted,
    error_code,
    messengers,
    processed,
    publish,
)

pytestmark = pytest.mark.integration

CREATE = """mutation($input: BroadcastInput!) { createBroadcast(input: $input) { id } }"""
BROADCAST = """query($id: ID!) { broadcast(id: $id) { id } }"""
ENTITY = """query($id: ID!) { _entities(representations: [{__typename: "Broadcast", id: $id}]) {
  ... on Broadcast { id name } } }"""


async def test_another_tenant_sees_nothing_of_a_customer_or_a_mailing(
    as_tenant: Any, customer: Any
) -> None:
    mine, theirs = as_tenant(tenant()), as_tenant(tenant())
    someone = await customer(mine)
    await mine.data(LINK, c=someone, ch="SMS", a="+79123450301")
    await mine.data(SEND, c=someone, t="Только для своих")
    mailing = await mine.data(
        CREATE, input={"name": "n", "text": "t", "segmentIds": [str(uuid.uuid4())]}
    )
    mailing_id = mailing["createBroadcast"]["id"]
    assert await messengers(theirs, someone) == []
    assert await conversation(theirs, someone) == []
    assert (await theirs.data(BROADCAST, id=mailing_id))["broadcast"] is None
    assert (await theirs.data(ENTITY, id=mailing_id))["_entities"] == [None]
    assert (await mine.data(ENTITY, id=mailing_id))["_entities"][0]["id"] == mailing_id
    # The other merchant's customer is no customer of this one.
    assert error_code(await theirs(SEND, c=someone, t="Чужое")) == "NOT_FOUND"
    assert error_code(await theirs(LINK, c=someone, ch="SMS", a="+79123450399")) == "NOT_FOUND"


async def test_viewers_read_and_only_managers_write(
    as_tenant: Any, client: httpx.AsyncClient, customer: Any
) -> None:
    salon = tenant()
    viewer, manager = as_tenant(salon, "VIEWER"), as_tenant(salon, "MANAGER")
    someone = await customer(manager)
    assert error_code(await viewer(LINK, c=someone, ch="SMS", a="+79123450302")) == "FORBIDDEN"
    await manager.data(LINK, c=someone, ch="SMS", a="+79123450302")
    assert error_code(await viewer(SEND, c=someone, t="Привет")) == "FORBIDDEN"
    assert error_code(await viewer(CREATE, input={"name": "n", "text": "t", "segmentIds": []})) == (
        "FORBIDDEN"
    )
    assert len(await messengers(viewer, someone)) == 1
    anonymous = await client.post("/graphql", json={"query": "{ npsReport { responses } }"})
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_erased_customer_leaves_no_messengers_addresses_or_conversation(
    as_tenant: Any, client: httpx.AsyncClient, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call = as_tenant(tenant())
    someone = await customer(call)
    await call.data(LINK, c=someone, ch="SMS", a="+79123450303")
    await call.data(SEND, c=someone, t="Здравствуйте")
    reply = {"channel": "SMS", "address": "+79123450303", "text": "Добрый день"}
    assert (
        await client.post(f"/channels/sandbox/{call.tenant}/inbound", json=reply)
    ).status_code == 200
    await processed(
        messaging_settings, await publish(messaging_settings, [deleted(call.tenant, someone)])
    )
    assert await messengers(call, someone) == []
    assert await conversation(call, someone) == []
    db = Database(messaging_settings.database_url)
    try:
        async with db.transaction(call.tenant) as session:
            left = await session.scalar(
                sa.text(
                    "SELECT (SELECT count(*) FROM subscriptions WHERE customer_id = :c)"
                    " + (SELECT count(*) FROM messages WHERE customer_id = :c)"
                    " + (SELECT count(*) FROM sandbox_sent WHERE customer_id = :c)"
                    " + (SELECT count(*) FROM customers WHERE id = :c)"
                ),
                {"c": someone},
            )
    finally:
        await db.dispose()
    assert left == 0
