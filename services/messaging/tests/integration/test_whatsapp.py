"""WhatsApp: a business number's messages through the Cloud API, its webhooks coming in."""

import uuid
from typing import Any

import httpx
import pytest

from clientcard_devstack.provider_doubles.whatsapp import (
    CloudApi,
    signed,
    status_update,
    text_message,
)
from clientcard_kit.testing import eventually
from clientcard_messaging.settings import MessagingSettings

from .conftest import WA_APP_SECRET, WA_NO_TEMPLATE_TENANT, WA_NUMBER, WA_TENANT, WA_VERIFY
from .support import LINK, SEND, conversation, in_segments, messengers, processed, publish
from .test_broadcasts import CREATE, finished
from .test_sending import settled, status_of

pytestmark = pytest.mark.integration
HOOK = f"/channels/whatsapp/{WA_TENANT}/webhook"


def phone() -> str:
    return f"+7915{uuid.uuid4().int % 10**7:07d}"


async def linked(call: Any, customer: Any) -> tuple[str, str]:
    someone, number = await customer(call), phone()
    await call.data(LINK, c=someone, ch="WHATSAPP", a=number)
    return someone, number


async def wrote_to_us(call: Any, customer: Any, client: httpx.AsyncClient) -> tuple[str, str]:
    """A linked customer who has just written: inside WhatsApp's window by our clock."""
    someone, number = await linked(call, customer)
    await post(client, text_message(WA_NUMBER, number, "Спасибо"))
    return someone, number


async def post(client: httpx.AsyncClient, notification: dict[str, Any]) -> httpx.Response:
    body, headers = signed(notification, WA_APP_SECRET)
    return await client.post(HOOK, content=body, headers=headers)


async def reaches(call: Any, someone: str, message_id: str, status: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    async def there() -> bool:
        seen.update(await status_of(call, someone, message_id))
        return bool(seen["status"] == status)

    await eventually(there, what=f"message {message_id} to be {status}")
    return seen


async def test_outside_the_window_the_approved_template_carries_the_text(
    as_tenant: Any, whatsapp_api: CloudApi, client: httpx.AsyncClient, customer: Any
) -> None:
    call = as_tenant(WA_TENANT)
    someone, number = await linked(call, customer)
    queued = (await call.data(SEND, c=someone, t="Скидка 15% в пятницу"))["sendMessage"]
    assert (await settled(call, someone, queued["id"]))["status"] == "SENT"
    [sent] = whatsapp_api.accepted(number)
    assert (sent.kind, sent.template, sent.text) == (
        "template",
        "salon_notice",
        "Скидка 15% в пятницу",
    )
    wamid = sent.wamid
    assert (
        await post(client, status_update(WA_NUMBER, wamid, "delivered", number))
    ).status_code == 200
    await reaches(call, someone, queued["id"], "DELIVERED")
    assert (await post(client, status_update(WA_NUMBER, wamid, "read", number))).status_code == 200
    await reaches(call, someone, queued["id"], "READ")


async def test_a_customers_message_is_their_reply_and_opens_the_window_for_text(
    as_tenant: Any, whatsapp_api: CloudApi, client: httpx.AsyncClient, customer: Any
) -> None:
    call = as_tenant(WA_TENANT)
    someone, number = await linked(call, customer)
    said = text_message(WA_NUMBER, number, "Можно записаться на завтра?")
    assert (await post(client, said)).status_code == 200
    # WhatsApp delivers a notification again when unsure it arrived: taken in once.
    assert (await post(client, said)).status_code == 200
    [reply] = await conversation(call, someone)
    assert (reply["direction"], reply["kind"], reply["channel"], reply["text"]) == (
        "INBOUND",
        "REPLY",
        "WHATSAPP",
        "Можно записаться на завтра?",
    )
    queued = (await call.data(SEND, c=someone, t="Да, в 12:00 свободно"))["sendMessage"]
    assert (await settled(call, someone, queued["id"]))["status"] == "SENT"
    [sent] = whatsapp_api.accepted(number)
    assert (sent.kind, sent.text) == ("text", "Да, в 12:00 свободно")


async def test_a_closed_window_whatsapp_reports_sends_the_template_instead(
    as_tenant: Any, whatsapp_api: CloudApi, client: httpx.AsyncClient, customer: Any
) -> None:
    call = as_tenant(WA_TENANT)
    someone, number = await wrote_to_us(call, customer, client)
    whatsapp_api.script[number.lstrip("+")] = ["outside_window"]
    queued = (await call.data(SEND, c=someone, t="Ждём вас снова"))["sendMessage"]
    assert (await settled(call, someone, queued["id"]))["status"] == "SENT"
    assert whatsapp_api.attempts(number) == 2
    [sent] = whatsapp_api.accepted(number)
    assert (sent.kind, sent.text) == ("template", "Ждём вас снова")


async def test_a_closed_window_reported_after_the_text_was_taken_sends_the_template_once(
    as_tenant: Any, whatsapp_api: CloudApi, client: httpx.AsyncClient, customer: Any
) -> None:
    call = as_tenant(WA_TENANT)
    someone, number = await wrote_to_us(call, customer, client)
    queued = (await call.data(SEND, c=someone, t="Ждём вас снова"))["sendMessage"]
    assert (await settled(call, someone, queued["id"]))["status"] == "SENT"
    [text] = whatsapp_api.accepted(number)
    # WhatsApp took the text, then says the window had closed (its clock decides).
    closed = status_update(WA_NUMBER, text.wamid, "failed", number, 131047)
    assert (await post(client, closed)).status_code == 200

    async def sent_as_template() -> bool:
        return len(whatsapp_api.accepted(number)) == 2

    await eventually(sent_as_template, what="the template to go instead")
    template = whatsapp_api.accepted(number)[1]
    assert (text.kind, template.kind, template.text) == ("text", "template", "Ждём вас снова")
    assert (await settled(call, someone, queued["id"]))["status"] == "SENT"
    # The same report again (WhatsApp repeats notifications) sends nothing more, and the
    # template's own delivery reaches the message.
    assert (await post(client, closed)).status_code == 200
    delivered = status_update(WA_NUMBER, template.wamid, "delivered", number)
    assert (await post(client, delivered)).status_code == 200
    await reaches(call, someone, queued["id"], "DELIVERED")
    assert len(whatsapp_api.accepted(number)) == 2


async def test_stop_unsubscribes_the_customer(
    as_tenant: Any, client: httpx.AsyncClient, customer: Any
) -> None:
    call = as_tenant(WA_TENANT)
    someone, number = await linked(call, customer)
    assert (await post(client, text_message(WA_NUMBER, number, "STOP"))).status_code == 200
    [card] = await messengers(call, someone)
    assert (card["channel"], card["status"]) == ("WHATSAPP", "INACTIVE")


async def test_forged_or_unsigned_notifications_are_refused_and_change_nothing(
    as_tenant: Any, client: httpx.AsyncClient, customer: Any
) -> None:
    call = as_tenant(WA_TENANT)
    someone, number = await linked(call, customer)
    body, headers = signed(text_message(WA_NUMBER, number, "STOP"), "guessed-secret")
    assert (await client.post(HOOK, content=body, headers=headers)).status_code == 403
    unsigned = {"content-type": "application/json"}
    assert (await client.post(HOOK, content=body, headers=unsigned)).status_code == 403
    assert await conversation(call, someone) == []
    assert (await messengers(call, someone))[0]["status"] == "ACTIVE"
    # A notification for another number of the same app is not this tenant's.
    assert (await post(client, text_message("999", number, "чужое"))).status_code == 200
    assert await conversation(call, someone) == []


async def test_the_subscription_check_is_answered_with_the_challenge_for_the_verify_token(
    client: httpx.AsyncClient,
) -> None:
    asked = {"hub.mode": "subscribe", "hub.verify_token": WA_VERIFY, "hub.challenge": "1158201444"}
    answer = await client.get(HOOK, params=asked)
    assert (answer.status_code, answer.text) == (200, "1158201444")
    wrong = await client.get(HOOK, params={**asked, "hub.verify_token": "guess"})
    assert wrong.status_code == 403
    elsewhere = await client.get("/channels/whatsapp/no-wa/webhook", params=asked)
    assert elsewhere.status_code == 404


async def test_rate_limits_are_retried_and_an_undeliverable_number_becomes_unreachable(
    as_tenant: Any, whatsapp_api: CloudApi, customer: Any
) -> None:
    call = as_tenant(WA_TENANT)
    someone, number = await linked(call, customer)
    whatsapp_api.script[number.lstrip("+")] = ["rate_limit", "account_rate"]
    queued = (await call.data(SEND, c=someone, t="Напоминание о записи"))["sendMessage"]
    assert (await settled(call, someone, queued["id"]))["status"] == "SENT"
    assert (whatsapp_api.attempts(number), len(whatsapp_api.accepted(number))) == (3, 1)

    other, gone = await linked(call, customer)
    whatsapp_api.always[gone.lstrip("+")] = "undeliverable"
    failed = (await call.data(SEND, c=other, t="Привет"))["sendMessage"]
    message = await settled(call, other, failed["id"])
    assert (message["status"], message["failureReason"]) == (
        "FAILED",
        "WhatsApp error 131026: (131026) Message undeliverable",
    )
    assert (await messengers(call, other))[0]["status"] == "INACTIVE"


async def test_a_template_whatsapp_does_not_know_fails_the_message_saying_which(
    as_tenant: Any, whatsapp_api: CloudApi, customer: Any
) -> None:
    call = as_tenant(WA_NO_TEMPLATE_TENANT)
    someone, number = await linked(call, customer)
    queued = (await call.data(SEND, c=someone, t="Акция"))["sendMessage"]
    message = await settled(call, someone, queued["id"])
    assert message["status"] == "FAILED"
    assert message["failureReason"].startswith("WhatsApp error 132001")
    assert "template 'deleted', ru" in message["failureReason"]
    assert whatsapp_api.attempts(number) == 1
    assert (await messengers(call, someone))[0]["status"] == "ACTIVE"


async def test_a_failed_status_fails_the_message_and_an_unreachable_customer_is_unsubscribed(
    as_tenant: Any, whatsapp_api: CloudApi, client: httpx.AsyncClient, customer: Any
) -> None:
    call = as_tenant(WA_TENANT)
    someone, number = await linked(call, customer)
    queued = (await call.data(SEND, c=someone, t="Ваш заказ готов"))["sendMessage"]
    await settled(call, someone, queued["id"])
    failed = status_update(WA_NUMBER, whatsapp_api.wamid_of(number), "failed", number, 131026)
    assert (await post(client, failed)).status_code == 200
    message = await reaches(call, someone, queued["id"], "FAILED")
    assert message["failureReason"] == "WhatsApp error 131026: Message undeliverable"
    assert (await messengers(call, someone))[0]["status"] == "INACTIVE"


async def test_a_mailing_stays_within_the_numbers_messages_a_second(
    as_tenant: Any, whatsapp_api: CloudApi, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call, segment = as_tenant(WA_TENANT), str(uuid.uuid4())
    members = [await linked(call, customer) for _ in range(25)]
    joined = [in_segments(WA_TENANT, someone, 1, segment) for someone, _ in members]
    await processed(messaging_settings, await publish(messaging_settings, joined))
    mailing = {"name": "WhatsApp", "text": "Новая коллекция", "segmentIds": [segment]}
    created = (await call.data(CREATE, input=mailing))["createBroadcast"]
    await finished(call, created["id"])
    assert all(
        [(s.kind, s.text) for s in whatsapp_api.accepted(number)] == [("template", mailing["text"])]
        for _, number in members
    )
    assert not whatsapp_api.window.over_limit
