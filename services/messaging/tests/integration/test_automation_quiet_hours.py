"""Quiet hours: nothing automatic goes out in them, in the tenant's own time zone; what
came due meanwhile, or was still queued when they began, goes out when they end.

The run and the send queue are called with a moved clock (see `automation_support`)."""

from datetime import timedelta
from typing import Any

import httpx
import pytest

from clientcard_messaging.settings import MessagingSettings

from .automation_support import (
    LATE_EVENING,
    SETTINGS,
    accrued,
    clients,
    delivered,
    enable,
    registered,
    run_at,
    send_at,
    sent_automations,
    stats_of,
    subscribe,
)
from .conftest import tenant

pytestmark = pytest.mark.integration


async def test_a_welcome_waits_for_quiet_hours_to_end_and_is_sent_once(
    as_tenant: Any, messaging_settings: MessagingSettings, client: httpx.AsyncClient
) -> None:
    call = as_tenant(tenant())
    await call.data(SETTINGS, input={"quietHoursStart": 22, "quietHoursEnd": 9})
    await enable(call, "WELCOME", "{firstName}, добро пожаловать! Бонусов: {bonusBalance}")
    (anna,) = await clients(call, messaging_settings, ["Анна"])
    await subscribe(call, anna, "+79123460001")
    welcome_bonus = accrued(call.tenant, anna, LATE_EVENING, version=1, balance="500.00")
    await delivered(messaging_settings, [welcome_bonus], "automations-bonuses")

    for moment in (LATE_EVENING, LATE_EVENING + timedelta(hours=9, minutes=29)):  # to 08:59
        await run_at(messaging_settings, call.tenant, moment)
        assert await sent_automations(call, anna) == []
    morning = LATE_EVENING + timedelta(hours=9, minutes=30)  # 09:00 in Moscow
    await run_at(messaging_settings, call.tenant, morning)
    # The registration again (a producer's retry under a new event id), and later runs.
    again = registered(call.tenant, anna, "Анна", LATE_EVENING)
    await delivered(messaging_settings, [again], "automations-customers")
    await run_at(messaging_settings, call.tenant, morning + timedelta(hours=1))
    await run_at(messaging_settings, call.tenant, morning + timedelta(days=3))

    (welcome,) = await sent_automations(call, anna)
    assert (welcome["text"], welcome["channel"]) == ("Анна, добро пожаловать! Бонусов: 500", "SMS")
    await send_at(messaging_settings, morning)
    # Anna answers the welcome: counted in its stats as a mailing's reply is.
    reply = {"channel": "SMS", "address": "+79123460001", "text": "Спасибо!"}
    inbound = f"/channels/sandbox/{call.tenant}/inbound"
    assert (await client.post(inbound, json=reply)).status_code == 200
    stats = await stats_of(call, "WELCOME")
    assert (
        stats["recipients"],
        stats["sent"],
        stats["delivered"],
        stats["replied"],
        stats["unreachable"],
    ) == (1, 1, 1, 1, 0)


async def test_quiet_hours_are_the_tenants_own_in_its_time_zone(
    as_tenant: Any, messaging_settings: MessagingSettings
) -> None:
    call = as_tenant(tenant())
    settings = {"timeZone": "Asia/Vladivostok", "quietHoursStart": 22, "quietHoursEnd": 9}
    assert (await call.data(SETTINGS, input=settings))["updateMessagingSettings"] == settings
    await enable(call, "WELCOME", "Добро пожаловать, {firstName}!")
    (anna,) = await clients(call, messaging_settings, ["Анна"])
    await subscribe(call, anna, "+79123460051")
    # 23:30 in Moscow but 06:30 the next morning in Vladivostok (UTC+10): still quiet there.
    await run_at(messaging_settings, call.tenant, LATE_EVENING)
    assert await sent_automations(call, anna) == []
    await run_at(messaging_settings, call.tenant, LATE_EVENING + timedelta(hours=2, minutes=29))
    assert await sent_automations(call, anna) == []
    await run_at(messaging_settings, call.tenant, LATE_EVENING + timedelta(hours=2, minutes=30))
    assert [m["text"] for m in await sent_automations(call, anna)] == ["Добро пожаловать, Анна!"]


async def test_a_message_not_yet_sent_when_quiet_hours_begin_waits_for_them_to_end(
    as_tenant: Any, messaging_settings: MessagingSettings
) -> None:
    call = as_tenant(tenant())
    await call.data(SETTINGS, input={"quietHoursStart": 22, "quietHoursEnd": 9})
    await enable(call, "WELCOME", "Добро пожаловать!")
    nine_pm = LATE_EVENING - timedelta(hours=2, minutes=30)  # 21:00 in Moscow
    (anna,) = await clients(call, messaging_settings, ["Анна"], at=nine_pm)
    await subscribe(call, anna, "+79123460061")
    await run_at(messaging_settings, call.tenant, nine_pm + timedelta(minutes=59))
    for moment in (nine_pm + timedelta(hours=1), nine_pm + timedelta(hours=11, minutes=59)):
        await send_at(messaging_settings, moment)
        assert [m["status"] for m in await sent_automations(call, anna)] == ["QUEUED"]
    await send_at(messaging_settings, nine_pm + timedelta(hours=12))  # 09:00
    assert [m["status"] for m in await sent_automations(call, anna)] == ["DELIVERED"]
