"""Messenger subscriptions: linking, the one default, unsubscribing, and their events."""

import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_contracts.events.messaging import (
    MessengerDefaultChanged,
    MessengerSubscribed,
    MessengerUnsubscribed,
)
from clientcard_kit.db import Database
from clientcard_messaging.settings import MessagingSettings

from .conftest import tenant
from .support import (
    LINK,
    SEND,
    SET_DEFAULT,
    UNSUBSCRIBE,
    MessagingEvents,
    error_code,
    messengers,
)

pytestmark = pytest.mark.integration


async def test_the_first_linked_is_default_and_exactly_one_stays_default(
    as_tenant: Any, customer: Any
) -> None:
    call = as_tenant(tenant())
    someone = await customer(call)
    first = await call.data(LINK, c=someone, ch="TELEGRAM", a="1001")
    assert first["linkMessenger"] == [
        {"channel": "TELEGRAM", "isDefault": True, "status": "ACTIVE"}
    ]
    second = await call.data(LINK, c=someone, ch="WHATSAPP", a="8 (912) 345-67-89")
    assert [(s["channel"], s["isDefault"]) for s in second["linkMessenger"]] == [
        ("TELEGRAM", True),
        ("WHATSAPP", False),
    ]
    moved = await call.data(SET_DEFAULT, c=someone, ch="WHATSAPP")
    assert [(s["channel"], s["isDefault"]) for s in moved["setDefaultMessenger"]] == [
        ("WHATSAPP", True),
        ("TELEGRAM", False),
    ]
    # Unsubscribing the default hands it to the other active channel.
    left = await call.data(UNSUBSCRIBE, c=someone, ch="WHATSAPP")
    assert [(s["channel"], s["isDefault"], s["status"]) for s in left["unsubscribeMessenger"]] == [
        ("TELEGRAM", True, "ACTIVE"),
        ("WHATSAPP", False, "INACTIVE"),
    ]
    # With nothing active, nothing is default.
    none = await call.data(UNSUBSCRIBE, c=someone, ch="TELEGRAM")
    assert all(
        not s["isDefault"] and s["status"] == "INACTIVE" for s in none["unsubscribeMessenger"]
    )
    card = await messengers(call, someone)
    assert {s["channel"] for s in card} == {"TELEGRAM", "WHATSAPP"}
    assert all(s["messagesDelivered"] == 0 and s["subscribedAt"] for s in card)


async def test_an_inactive_channel_cannot_be_default_and_relinking_reactivates(
    as_tenant: Any, customer: Any
) -> None:
    call = as_tenant(tenant())
    someone = await customer(call)
    await call.data(LINK, c=someone, ch="TELEGRAM", a="2001")
    await call.data(LINK, c=someone, ch="VK", a="2002")
    await call.data(UNSUBSCRIBE, c=someone, ch="VK")
    refused = await call(SET_DEFAULT, c=someone, ch="VK")
    assert error_code(refused) == "CONFLICT"
    unknown = await call(SET_DEFAULT, c=someone, ch="SMS")
    assert error_code(unknown) == "NOT_FOUND"
    again = await call.data(LINK, c=someone, ch="VK", a="2002")
    assert [(s["channel"], s["status"]) for s in again["linkMessenger"]] == [
        ("TELEGRAM", "ACTIVE"),
        ("VK", "ACTIVE"),
    ]


async def test_bad_addresses_and_taken_chats_are_refused(as_tenant: Any, customer: Any) -> None:
    call = as_tenant(tenant())
    someone, other = await customer(call), await customer(call)
    assert error_code(await call(LINK, c=someone, ch="TELEGRAM", a="@anna")) == "BAD_USER_INPUT"
    assert error_code(await call(LINK, c=someone, ch="SMS", a="12")) == "BAD_USER_INPUT"
    assert error_code(await call(LINK, c="not-an-id", ch="SMS", a="+79123456789")) == (
        "BAD_USER_INPUT"
    )
    await call.data(LINK, c=someone, ch="TELEGRAM", a="3001")
    taken = await call(LINK, c=other, ch="TELEGRAM", a="3001")
    assert error_code(taken) == "CONFLICT"
    assert await messengers(call, other) == []


async def test_every_change_is_published_with_the_whole_picture(
    as_tenant: Any, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call = as_tenant(tenant())
    someone = await customer(call)
    await call.data(LINK, c=someone, ch="TELEGRAM", a="4001")
    await call.data(LINK, c=someone, ch="SMS", a="+79123450001")
    await call.data(SET_DEFAULT, c=someone, ch="SMS")
    await call.data(UNSUBSCRIBE, c=someone, ch="SMS")
    events = await MessagingEvents(messaging_settings).of(someone, 6)
    kinds = [(kind, data["messengers"]["version"]) for kind, data in events]
    assert kinds == [
        (MessengerSubscribed.TYPE, 1),
        (MessengerDefaultChanged.TYPE, 1),
        (MessengerSubscribed.TYPE, 2),
        (MessengerDefaultChanged.TYPE, 3),
        (MessengerUnsubscribed.TYPE, 4),
        (MessengerDefaultChanged.TYPE, 4),
    ]
    last = events[-1][1]["messengers"]
    assert (last["status"], last["defaultChannel"]) == ("ACTIVE", "TELEGRAM")
    assert events[4][1]["reason"] == "MANAGER"


async def test_an_id_that_is_no_customer_is_not_found_and_nothing_is_written(
    as_tenant: Any, messaging_settings: MessagingSettings
) -> None:
    call, phantom = as_tenant(tenant()), str(uuid.uuid4())
    assert error_code(await call(LINK, c=phantom, ch="SMS", a="+79123450777")) == "NOT_FOUND"
    assert error_code(await call(SEND, c=phantom, t="Здравствуйте")) == "NOT_FOUND"
    db = Database(messaging_settings.database_url)
    try:
        async with db.transaction(call.tenant) as session:
            written = await session.scalar(
                sa.text(
                    "SELECT (SELECT count(*) FROM subscriptions) + (SELECT count(*) FROM messages)"
                    " + (SELECT count(*) FROM customers)"
                )
            )
    finally:
        await db.dispose()
    assert written == 0
