"""Inbound traffic: Telegram's webhook (secret token, /start), the sandbox's inbox, and the
conversation they fill."""

import json
import uuid
from typing import Any

import httpx
import pytest

from clientcard_devstack.provider_doubles.telegram import update
from clientcard_messaging.settings import MessagingSettings

from .conftest import TELEGRAM_TENANT, WEBHOOK_SECRET, tenant
from .support import (
    CONVERSATION,
    LINK,
    SEND,
    conversation,
    messengers,
    processed,
    publish,
    registered,
)

pytestmark = pytest.mark.integration

SECRET = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}


def webhook(tenant_id: str = TELEGRAM_TENANT) -> str:
    return f"/channels/telegram/{tenant_id}/webhook"


def sandbox(tenant_id: str) -> str:
    return f"/channels/sandbox/{tenant_id}/inbound"


def phone() -> str:
    return f"+7912{uuid.uuid4().int % 10_000_000:07d}"


async def test_start_with_the_phone_links_the_chat_and_the_bot_answers(
    as_tenant: Any, client: httpx.AsyncClient, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call = as_tenant(TELEGRAM_TENANT)
    someone, number = await customer(call), phone()
    await processed(
        messaging_settings,
        await publish(messaging_settings, [registered(TELEGRAM_TENANT, someone, number)]),
    )
    chat = 5_000_000 + uuid.uuid4().int % 1_000_000
    answer = await client.post(webhook(), json=update(1, chat, f"/start {number}"), headers=SECRET)
    assert answer.status_code == 200, answer.text
    card = await messengers(call, someone)
    assert [(s["channel"], s["status"], s["isDefault"]) for s in card] == [
        ("TELEGRAM", "ACTIVE", True)
    ]
    talk = await conversation(call, someone)
    assert [(m["direction"], m["kind"]) for m in talk] == [("OUTBOUND", "BOT"), ("INBOUND", "BOT")]
    # A later text from that chat is the customer's reply.
    await client.post(
        webhook(), json=update(2, chat, "Во сколько вы открываетесь?"), headers=SECRET
    )
    newest = (await conversation(call, someone, first=1))[0]
    assert (newest["direction"], newest["kind"], newest["text"]) == (
        "INBOUND",
        "REPLY",
        "Во сколько вы открываетесь?",
    )


async def test_sharing_their_own_contact_links_the_chat_but_someone_elses_does_not(
    as_tenant: Any, client: httpx.AsyncClient, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call = as_tenant(TELEGRAM_TENANT)
    someone, number = await customer(call), phone()
    event = registered(TELEGRAM_TENANT, someone, number)
    await processed(messaging_settings, await publish(messaging_settings, [event]))
    chat = 7_000_000 + uuid.uuid4().int % 1_000_000

    def shared(update_id: int, owner: int) -> dict[str, Any]:
        sent = update(update_id, chat, "")
        del sent["message"]["text"]
        sent["message"]["contact"] = {
            "phone_number": number.removeprefix("+"),
            "first_name": "Анна",
            "user_id": owner,
        }
        return sent

    await client.post(webhook(), json=shared(20, owner=chat + 1), headers=SECRET)
    assert await messengers(call, someone) == []
    await client.post(webhook(), json=shared(21, owner=chat), headers=SECRET)
    assert [s["status"] for s in await messengers(call, someone)] == ["ACTIVE"]


async def test_webhooks_without_the_secret_or_with_bad_bodies_are_rejected(
    client: httpx.AsyncClient,
) -> None:
    good = update(3, 42, "/start +79123456789")
    assert (await client.post(webhook(), json=good)).status_code == 401
    wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
    assert (await client.post(webhook(), json=good, headers=wrong)).status_code == 401
    assert (await client.post(webhook(), content=b"{not json", headers=SECRET)).status_code == 400
    assert (await client.post(webhook(), json=[1, 2], headers=SECRET)).status_code == 400
    assert (await client.post(webhook(), json={"message": {}}, headers=SECRET)).status_code == 400
    # A tenant without a bot has no webhook.
    assert (await client.post(webhook("no-bot"), json=good, headers=SECRET)).status_code == 404
    # Updates the service does not act on are acknowledged, so Telegram stops resending.
    edited = {"update_id": 9, "edited_message": {"text": "x"}}
    assert (await client.post(webhook(), json=edited, headers=SECRET)).status_code == 200
    # The sandbox stands in only where no real provider serves the channel.
    taken = {"channel": "TELEGRAM", "address": "42", "text": "hi"}
    assert (await client.post(sandbox(TELEGRAM_TENANT), json=taken)).status_code == 404
    for body in (
        b"[]",
        b"{",
        json.dumps({"channel": "FAX", "address": "1", "text": "x"}).encode(),
        json.dumps({"channel": "SMS"}).encode(),
    ):
        assert (await client.post(sandbox("salon-x"), content=body)).status_code == 400


async def test_the_conversation_is_newest_first_and_paged(
    as_tenant: Any, client: httpx.AsyncClient, customer: Any
) -> None:
    call = as_tenant(tenant())
    someone = await customer(call)
    await call.data(LINK, c=someone, ch="SMS", a="+79123450010")
    for n in range(3):
        await call.data(SEND, c=someone, t=f"Исходящее {n}")
        reply = {"channel": "SMS", "address": "+79123450010", "text": f"Ответ {n}"}
        assert (await client.post(sandbox(call.tenant), json=reply)).status_code == 200
    texts: list[str] = []
    after = None
    while True:
        page = (await call.data(CONVERSATION, id=someone, first=4, after=after))["_entities"][0][
            "conversation"
        ]
        assert page["totalCount"] == 6
        texts += [edge["node"]["text"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert texts == [
        "Ответ 2",
        "Исходящее 2",
        "Ответ 1",
        "Исходящее 1",
        "Ответ 0",
        "Исходящее 0",
    ]
    # A message from an address nobody is linked to has no customer to go to.
    stray = {"channel": "SMS", "address": "+79123450011", "text": "Кто это?"}
    assert (await client.post(sandbox(call.tenant), json=stray)).status_code == 200


async def test_a_customer_blocking_the_bot_is_heard_from_the_webhook(
    as_tenant: Any, client: httpx.AsyncClient, customer: Any
) -> None:
    call = as_tenant(TELEGRAM_TENANT)
    someone = await customer(call)
    chat = 6_000_000 + uuid.uuid4().int % 1_000_000
    await call.data(LINK, c=someone, ch="TELEGRAM", a=str(chat))
    kicked = {
        "update_id": 10,
        "my_chat_member": {
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "Анна"},
            "date": 1763900000,
            "old_chat_member": {
                "status": "member",
                "user": {"id": 1, "is_bot": True, "first_name": "b"},
            },
            "new_chat_member": {
                "status": "kicked",
                "until_date": 0,
                "user": {"id": 1, "is_bot": True, "first_name": "b"},
            },
        },
    }
    assert (await client.post(webhook(), json=kicked, headers=SECRET)).status_code == 200
    assert (await messengers(call, someone))[0]["status"] == "INACTIVE"
