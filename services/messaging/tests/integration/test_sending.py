"""Writing to a customer: the send queue through the sandbox and through Telegram's API."""

import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_contracts.events.messaging import MessageDelivered, MessengerUnsubscribed
from clientcard_devstack.provider_doubles.telegram import BotApi
from clientcard_kit.db import Database
from clientcard_kit.testing import eventually
from clientcard_messaging.settings import MessagingSettings

from .conftest import TELEGRAM_TENANT, tenant
from .support import (
    LINK,
    SEND,
    UNSUBSCRIBE,
    MessagingEvents,
    conversation,
    error_code,
    messengers,
)

pytestmark = pytest.mark.integration


async def status_of(call: Any, customer_id: str, message_id: str) -> dict[str, Any]:
    for message in await conversation(call, customer_id):
        if message["id"] == message_id:
            return message
    raise AssertionError(f"no message {message_id}")


async def settled(call: Any, customer_id: str, message_id: str) -> dict[str, Any]:
    """Wait until the message has left the queue; returns it."""
    seen: dict[str, Any] = {}

    async def done() -> bool:
        seen.update(await status_of(call, customer_id, message_id))
        return bool(seen["status"] != "QUEUED")

    await eventually(done, what=f"message {message_id} to leave the queue")
    return seen


async def chat() -> str:
    return str(uuid.uuid4().int % 10**9 + 10**9)


async def test_a_message_through_the_sandbox_is_recorded_delivered_and_announced(
    as_tenant: Any, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call = as_tenant(tenant())
    someone = await customer(call)
    await call.data(LINK, c=someone, ch="VIBER", a="+79123450002")
    queued = (await call.data(SEND, c=someone, t="  Ждём вас в субботу  "))["sendMessage"]
    assert (queued["status"], queued["channel"], queued["kind"], queued["text"]) == (
        "QUEUED",
        "VIBER",
        "MANUAL",
        "Ждём вас в субботу",
    )
    message = await settled(call, someone, queued["id"])
    assert message["status"] == "DELIVERED"
    card = await messengers(call, someone)
    assert (card[0]["messagesDelivered"], card[0]["lastContactAt"] is not None) == (1, True)
    db = Database(messaging_settings.database_url)
    try:
        async with db.transaction(call.tenant) as session:
            recorded = (
                await session.execute(
                    sa.text("SELECT address, text FROM sandbox_sent WHERE message_id = :id"),
                    {"id": queued["id"]},
                )
            ).all()
    finally:
        await db.dispose()
    assert [tuple(row) for row in recorded] == [("+79123450002", "Ждём вас в субботу")]
    # Linking the first messenger announces it and the new default; then the delivery.
    events = await MessagingEvents(messaging_settings).of(someone, 3)
    delivered = [data for kind, data in events if kind == MessageDelivered.TYPE]
    assert delivered[0]["messageId"] == queued["id"]
    assert (delivered[0]["kind"], delivered[0]["messagesDelivered"]) == ("MANUAL", 1)


async def test_sending_to_no_inactive_or_unknown_channel_is_a_clear_error(
    as_tenant: Any, customer: Any
) -> None:
    call = as_tenant(tenant())
    someone = await customer(call)
    nothing = await call(SEND, c=someone, t="Привет")
    assert error_code(nothing) == "CONFLICT"
    await call.data(LINK, c=someone, ch="SMS", a="+79123450003")
    assert error_code(await call(SEND, c=someone, t="Привет", ch="VK")) == "CONFLICT"
    assert error_code(await call(SEND, c=someone, t="   ")) == "BAD_USER_INPUT"
    await call.data(UNSUBSCRIBE, c=someone, ch="SMS")
    stopped = await call(SEND, c=someone, t="Привет", ch="SMS")
    assert error_code(stopped) == "CONFLICT"
    assert "inactive" in stopped["errors"][0]["message"]
    assert await conversation(call, someone) == []


async def test_telegram_delivers_through_the_bot_api(
    as_tenant: Any, bot_api: BotApi, customer: Any
) -> None:
    call = as_tenant(TELEGRAM_TENANT)
    someone, to = await customer(call), await chat()
    await call.data(LINK, c=someone, ch="TELEGRAM", a=to)
    queued = (await call.data(SEND, c=someone, t="Ваш заказ готов"))["sendMessage"]
    assert (await settled(call, someone, queued["id"]))["status"] == "DELIVERED"
    assert bot_api.delivered(to) == ["Ваш заказ готов"]


async def test_provider_failures_are_retried_with_backoff(
    as_tenant: Any, bot_api: BotApi, customer: Any
) -> None:
    call = as_tenant(TELEGRAM_TENANT)
    someone, to = await customer(call), await chat()
    bot_api.script[to] = ["internal", "flood"]
    await call.data(LINK, c=someone, ch="TELEGRAM", a=to)
    queued = (await call.data(SEND, c=someone, t="Напоминаем о записи"))["sendMessage"]
    assert (await settled(call, someone, queued["id"]))["status"] == "DELIVERED"
    assert bot_api.attempts(to) == 3
    assert bot_api.delivered(to) == ["Напоминаем о записи"]


async def test_a_failure_that_never_passes_ends_failed_with_the_reason(
    as_tenant: Any, bot_api: BotApi, customer: Any
) -> None:
    call = as_tenant(TELEGRAM_TENANT)
    someone, to = await customer(call), await chat()
    bot_api.always[to] = "bad_gateway"
    await call.data(LINK, c=someone, ch="TELEGRAM", a=to)
    queued = (await call.data(SEND, c=someone, t="Скидка 10%"))["sendMessage"]
    message = await settled(call, someone, queued["id"])
    assert (message["status"], message["failureReason"]) == ("FAILED", "Bad Gateway")
    assert bot_api.attempts(to) == 3  # send_max_attempts in the tests' settings
    # A failure of the provider does not end the subscription.
    assert (await messengers(call, someone))[0]["status"] == "ACTIVE"


async def test_a_rejected_chat_fails_at_once(
    as_tenant: Any, bot_api: BotApi, customer: Any
) -> None:
    call = as_tenant(TELEGRAM_TENANT)
    someone, to = await customer(call), await chat()
    bot_api.always[to] = "chat_not_found"
    await call.data(LINK, c=someone, ch="TELEGRAM", a=to)
    queued = (await call.data(SEND, c=someone, t="Привет"))["sendMessage"]
    message = await settled(call, someone, queued["id"])
    assert (message["status"], message["failureReason"]) == (
        "FAILED",
        "Bad Request: chat not found",
    )
    assert bot_api.attempts(to) == 1


async def test_a_blocked_bot_turns_the_subscription_inactive(
    as_tenant: Any, bot_api: BotApi, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call = as_tenant(TELEGRAM_TENANT)
    someone, to = await customer(call), await chat()
    bot_api.always[to] = "blocked"
    await call.data(LINK, c=someone, ch="TELEGRAM", a=to)
    await call.data(LINK, c=someone, ch="SMS", a="+79123450004")
    queued = (await call.data(SEND, c=someone, t="Акция", ch="TELEGRAM"))["sendMessage"]
    message = await settled(call, someone, queued["id"])
    assert (message["status"], message["failureReason"]) == (
        "FAILED",
        "Forbidden: bot was blocked by the user",
    )
    card = {s["channel"]: s for s in await messengers(call, someone)}
    assert (card["TELEGRAM"]["status"], card["TELEGRAM"]["isDefault"]) == ("INACTIVE", False)
    assert (card["SMS"]["status"], card["SMS"]["isDefault"]) == ("ACTIVE", True)
    events = await MessagingEvents(messaging_settings).of(someone, 5)
    blocked = [data for kind, data in events if kind == MessengerUnsubscribed.TYPE]
    assert (blocked[0]["channel"], blocked[0]["reason"]) == ("TELEGRAM", "BLOCKED")
    again = await call(SEND, c=someone, t="Акция", ch="TELEGRAM")
    assert error_code(again) == "CONFLICT"
