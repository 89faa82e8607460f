"""VK: a community's messages through the VK API, and its Callback API events coming in."""

import uuid
from typing import Any

import httpx
import pytest

from clientcard_contracts.events.messaging import MessengerUnsubscribed
from clientcard_devstack.provider_doubles.vk import VkApi, callback, message_new
from clientcard_messaging.settings import MessagingSettings

from .conftest import (
    VK_CONFIRMATION,
    VK_GROUP,
    VK_REVOKED_TENANT,
    VK_SECRET,
    VK_TENANT,
)
from .support import (
    LINK,
    SEND,
    MessagingEvents,
    conversation,
    in_segments,
    messengers,
    processed,
    publish,
    registered,
)
from .test_broadcasts import CREATE, finished
from .test_sending import settled

pytestmark = pytest.mark.integration


def user() -> str:
    return str(uuid.uuid4().int % 10**8 + 10**8)


def callback_url(tenant_id: str = VK_TENANT) -> str:
    return f"/channels/vk/{tenant_id}/callback"


async def linked(call: Any, customer: Any) -> tuple[str, str]:
    someone, peer = await customer(call), user()
    await call.data(LINK, c=someone, ch="VK", a=peer)
    return someone, peer


async def test_a_message_goes_out_through_messages_send(
    as_tenant: Any, vk_api: VkApi, customer: Any
) -> None:
    call = as_tenant(VK_TENANT)
    someone, peer = await linked(call, customer)
    queued = (await call.data(SEND, c=someone, t="Ждём вас в субботу"))["sendMessage"]
    assert (await settled(call, someone, queued["id"]))["status"] == "DELIVERED"
    assert vk_api.delivered(peer) == ["Ждём вас в субботу"]


async def test_too_many_requests_and_vk_failures_are_retried_and_sent_once(
    as_tenant: Any, vk_api: VkApi, customer: Any
) -> None:
    call = as_tenant(VK_TENANT)
    someone, peer = await linked(call, customer)
    vk_api.script[peer] = ["too_many", "internal"]
    queued = (await call.data(SEND, c=someone, t="Напоминаем о записи"))["sendMessage"]
    assert (await settled(call, someone, queued["id"]))["status"] == "DELIVERED"
    assert vk_api.attempts(peer) == 3
    assert vk_api.delivered(peer) == ["Напоминаем о записи"]


async def test_a_customer_who_does_not_allow_messages_becomes_unreachable_on_vk(
    as_tenant: Any, vk_api: VkApi, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call = as_tenant(VK_TENANT)
    someone, peer = await linked(call, customer)
    await call.data(LINK, c=someone, ch="SMS", a=f"+7912{int(peer) % 10**7:07d}")
    vk_api.always[peer] = "no_permission"
    queued = (await call.data(SEND, c=someone, t="Акция", ch="VK"))["sendMessage"]
    message = await settled(call, someone, queued["id"])
    assert (message["status"], message["failureReason"]) == (
        "FAILED",
        "VK error 901: Can't send messages for users without permission",
    )
    assert vk_api.attempts(peer) == 1
    card = {s["channel"]: s for s in await messengers(call, someone)}
    assert (card["VK"]["status"], card["VK"]["isDefault"]) == ("INACTIVE", False)
    assert card["SMS"]["isDefault"]
    events = await MessagingEvents(messaging_settings).of(someone, 5)
    stopped = [data for kind, data in events if kind == MessengerUnsubscribed.TYPE]
    assert (stopped[0]["channel"], stopped[0]["reason"]) == ("VK", "BLOCKED")


async def test_a_token_vk_refuses_fails_the_message_at_once_and_keeps_the_subscription(
    as_tenant: Any, vk_api: VkApi, customer: Any
) -> None:
    call = as_tenant(VK_REVOKED_TENANT)
    someone, peer = await linked(call, customer)
    queued = (await call.data(SEND, c=someone, t="Привет"))["sendMessage"]
    message = await settled(call, someone, queued["id"])
    assert (message["status"], message["failureReason"]) == (
        "FAILED",
        "VK error 5: User authorization failed: invalid access_token (4).",
    )
    assert (vk_api.attempts(peer), vk_api.delivered(peer)) == (1, [])
    assert (await messengers(call, someone))[0]["status"] == "ACTIVE"


async def test_a_mailing_stays_within_the_communitys_requests_a_second(
    as_tenant: Any, vk_api: VkApi, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call, segment = as_tenant(VK_TENANT), str(uuid.uuid4())
    members = [await linked(call, customer) for _ in range(45)]
    joined = [in_segments(VK_TENANT, someone, 1, segment) for someone, _ in members]
    await processed(messaging_settings, await publish(messaging_settings, joined))
    mailing = {"name": "VK", "text": "Скидка 10% до воскресенья", "segmentIds": [segment]}
    created = (await call.data(CREATE, input=mailing))["createBroadcast"]
    await finished(call, created["id"])
    assert all(vk_api.delivered(peer) == [mailing["text"]] for _, peer in members)
    assert not vk_api.window.over_limit


async def test_the_callback_server_is_confirmed_with_the_tenants_code(
    client: httpx.AsyncClient,
) -> None:
    asked = await client.post(callback_url(), json={"type": "confirmation", "group_id": VK_GROUP})
    assert (asked.status_code, asked.text) == (200, VK_CONFIRMATION)
    other = {"type": "confirmation", "group_id": VK_GROUP + 7}
    assert (await client.post(callback_url(), json=other)).status_code == 403
    unknown = await client.post(callback_url("no-vk"), json={"type": "confirmation"})
    assert unknown.status_code == 404


async def test_events_without_the_secret_key_are_refused_and_change_nothing(
    as_tenant: Any, client: httpx.AsyncClient, customer: Any
) -> None:
    call = as_tenant(VK_TENANT)
    someone, peer = await linked(call, customer)
    forged = message_new(VK_GROUP, "guess", int(peer), "Отпишите меня")
    assert (await client.post(callback_url(), json=forged)).status_code == 403
    del forged["secret"]
    assert (await client.post(callback_url(), json=forged)).status_code == 403
    denied = callback("message_deny", VK_GROUP, "guess", {"user_id": int(peer)})
    assert (await client.post(callback_url(), json=denied)).status_code == 403
    assert await conversation(call, someone) == []
    assert (await messengers(call, someone))[0]["status"] == "ACTIVE"
    assert (await client.post(callback_url(), content=b"{")).status_code == 400


async def test_a_customers_message_is_their_reply_in_the_conversation_once(
    as_tenant: Any, client: httpx.AsyncClient, customer: Any
) -> None:
    call = as_tenant(VK_TENANT)
    someone, peer = await linked(call, customer)
    event = message_new(VK_GROUP, VK_SECRET, int(peer), "Во сколько вы открываетесь?")
    answer = await client.post(callback_url(), json=event)
    assert (answer.status_code, answer.text) == (200, "ok")
    # VK resends an event it got no `ok` for in time: the resent one changes nothing.
    assert (await client.post(callback_url(), json=event)).text == "ok"
    [newest] = await conversation(call, someone)
    assert (newest["direction"], newest["kind"], newest["channel"], newest["text"]) == (
        "INBOUND",
        "REPLY",
        "VK",
        "Во сколько вы открываетесь?",
    )
    # A community's own outgoing messages and group chats are no customer's reply.
    chat = message_new(VK_GROUP, VK_SECRET, int(peer), "в беседе")
    chat["object"]["message"]["peer_id"] = 2_000_000_001
    assert (await client.post(callback_url(), json=chat)).text == "ok"
    assert len(await conversation(call, someone)) == 1


async def test_allowing_messages_links_by_the_links_key_and_denying_unsubscribes(
    as_tenant: Any, client: httpx.AsyncClient, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call = as_tenant(VK_TENANT)
    someone, peer = await customer(call), user()
    number = f"+7913{int(peer) % 10**7:07d}"
    await processed(
        messaging_settings,
        await publish(messaging_settings, [registered(VK_TENANT, someone, number)]),
    )
    allow = callback("message_allow", VK_GROUP, VK_SECRET, {"user_id": int(peer), "key": number})
    assert (await client.post(callback_url(), json=allow)).text == "ok"
    card = await messengers(call, someone)
    assert [(s["channel"], s["status"], s["isDefault"]) for s in card] == [("VK", "ACTIVE", True)]
    talk = await conversation(call, someone)
    assert [(m["direction"], m["kind"]) for m in talk] == [("OUTBOUND", "BOT"), ("INBOUND", "BOT")]
    assert (await settled(call, someone, talk[0]["id"]))["status"] == "DELIVERED"
    deny = callback("message_deny", VK_GROUP, VK_SECRET, {"user_id": int(peer)})
    assert (await client.post(callback_url(), json=deny)).text == "ok"
    assert (await messengers(call, someone))[0]["status"] == "INACTIVE"
    events = await MessagingEvents(messaging_settings).of(someone, 4)
    stopped = [data for kind, data in events if kind == MessengerUnsubscribed.TYPE]
    assert (stopped[0]["channel"], stopped[0]["reason"]) == ("VK", "CUSTOMER")
    # Allowing again (no key this time) subscribes the same customer again.
    again = callback("message_allow", VK_GROUP, VK_SECRET, {"user_id": int(peer)})
    assert (await client.post(callback_url(), json=again)).text == "ok"
    assert (await messengers(call, someone))[0]["status"] == "ACTIVE"
