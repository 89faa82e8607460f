"""Messages that send themselves: each automation once per occasion, never to
unsubscribed clients, unreachable clients and those on a channel the merchant lacks
counted, two runs at once, tenants apart, bad input refused (quiet hours:
`test_automation_quiet_hours`).

The run and the send queue are called with a moved clock (moments years ahead, which the
service's own wall-clock job never reaches)."""

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest

from clientcard_contracts.enums import BonusEvent
from clientcard_messaging.settings import MessagingSettings

from .automation_support import (
    AUTOMATIONS,
    LATE_EVENING,
    READ_SETTINGS,
    SETTINGS,
    UPDATE,
    accrued,
    clients,
    delivered,
    enable,
    run_at,
    sale,
    sent_automations,
    stats_of,
    subscribe,
)
from .conftest import TELEGRAM_ONLY_TENANT, tenant
from .support import LINK, UNSUBSCRIBE, error_code, moved_to_sms

pytestmark = pytest.mark.integration


async def test_a_thank_you_after_each_sale_never_reaches_the_unsubscribed(
    as_tenant: Any, messaging_settings: MessagingSettings
) -> None:
    call = as_tenant(tenant())
    await enable(call, "AFTER_PURCHASE", "Спасибо за покупку, {firstName}!", days=2)
    anna, boris, vera = await clients(call, messaging_settings, ["Анна", "Борис", "Вера"])
    await subscribe(call, anna, "+79123460011")
    await subscribe(call, boris, "+79123460012")
    await call.data(UNSUBSCRIBE, c=str(boris), ch="SMS")
    # Vera never linked a messenger.
    bought = LATE_EVENING - timedelta(days=5)
    first, second = uuid.uuid4(), uuid.uuid4()
    sales = [
        sale(call.tenant, anna, bought, first),
        sale(call.tenant, anna, bought + timedelta(hours=1), second),
        sale(call.tenant, boris, bought, uuid.uuid4()),
        sale(call.tenant, vera, bought, uuid.uuid4()),
    ]
    await delivered(messaging_settings, sales, "automations-receipts")

    await run_at(messaging_settings, call.tenant, bought + timedelta(days=1))
    assert await sent_automations(call, anna) == []
    await run_at(messaging_settings, call.tenant, bought + timedelta(days=2, hours=2))
    # The first sale's event again: the same occasion, no second thank-you for it.
    await delivered(
        messaging_settings, [sale(call.tenant, anna, bought, first)], "automations-receipts"
    )
    await run_at(messaging_settings, call.tenant, bought + timedelta(days=3))

    thanks = await sent_automations(call, anna)
    assert [m["text"] for m in thanks] == ["Спасибо за покупку, Анна!"] * 2
    assert await sent_automations(call, boris) == await sent_automations(call, vera) == []
    stats = await stats_of(call, "AFTER_PURCHASE")
    assert (stats["recipients"], stats["unreachable"]) == (2, 2)


async def test_birthday_once_a_year_and_bonus_expiry_days_before_with_amount_and_date(
    as_tenant: Any, messaging_settings: MessagingSettings
) -> None:
    call = as_tenant(tenant())
    await enable(call, "BIRTHDAY", "С днём рождения, {firstName}! На счёте {bonusBalance}")
    await enable(call, "BONUS_EXPIRY", "{expiringDate} сгорят {expiringAmount} бонусов", days=3)
    (anna,) = await clients(call, messaging_settings, ["Анна"])
    await subscribe(call, anna, "+79123460021")
    noon = LATE_EVENING + timedelta(days=1, hours=-11)  # 12:30 in Moscow
    burns = noon + timedelta(days=5)
    gift = accrued(
        call.tenant,
        anna,
        noon,
        version=1,
        balance="700.00",
        event=BonusEvent.BIRTHDAY,
        burns=(burns, "300.00"),
    )
    await delivered(messaging_settings, [gift], "automations-bonuses")
    await run_at(messaging_settings, call.tenant, noon)
    # A second birthday bonus the same year is no second birthday.
    second = accrued(
        call.tenant,
        anna,
        noon + timedelta(hours=1),
        version=2,
        balance="800.00",
        event=BonusEvent.BIRTHDAY,
        burns=(burns, "300.00"),
    )
    await delivered(messaging_settings, [second], "automations-bonuses")
    await run_at(messaging_settings, call.tenant, noon + timedelta(days=1))
    (birthday,) = await sent_automations(call, anna)
    assert birthday["text"] == "С днём рождения, Анна! На счёте 700"

    # Three days before the burn, the reminder; later runs add none.
    await run_at(messaging_settings, call.tenant, burns - timedelta(days=3, minutes=1))
    assert len(await sent_automations(call, anna)) == 1
    for moment in (burns - timedelta(days=3), burns - timedelta(days=1)):
        await run_at(messaging_settings, call.tenant, moment)
    reminder = (await sent_automations(call, anna))[0]
    assert reminder["text"] == f"{(burns + timedelta(hours=3)):%d.%m.%Y} сгорят 300 бонусов"
    assert len(await sent_automations(call, anna)) == 2


async def test_win_back_after_days_without_a_purchase_once_per_last_purchase(
    as_tenant: Any, messaging_settings: MessagingSettings
) -> None:
    call = as_tenant(tenant())
    await enable(call, "WIN_BACK", "{firstName}, давно не виделись!", days=30)
    (anna,) = await clients(call, messaging_settings, ["Анна"])
    await subscribe(call, anna, "+79123460031")
    bought = LATE_EVENING - timedelta(hours=8)
    await delivered(
        messaging_settings, [sale(call.tenant, anna, bought, uuid.uuid4())], "automations-receipts"
    )
    await run_at(messaging_settings, call.tenant, bought + timedelta(days=29))
    assert await sent_automations(call, anna) == []
    for days in (30, 31, 35):
        await run_at(messaging_settings, call.tenant, bought + timedelta(days=days, minutes=1))
    assert len(await sent_automations(call, anna)) == 1
    # She came back, then lapsed again: a new occasion.
    back = bought + timedelta(days=40)
    await delivered(
        messaging_settings, [sale(call.tenant, anna, back, uuid.uuid4())], "automations-receipts"
    )
    await run_at(messaging_settings, call.tenant, back + timedelta(days=10))
    assert len(await sent_automations(call, anna)) == 1
    await run_at(messaging_settings, call.tenant, back + timedelta(days=30, minutes=1))
    assert len(await sent_automations(call, anna)) == 2


async def test_two_replicas_running_at_once_write_once_to_everyone(
    as_tenant: Any, messaging_settings: MessagingSettings
) -> None:
    call = as_tenant(tenant())
    await enable(call, "AFTER_PURCHASE", "Спасибо!", days=1)
    names = [f"Клиент {n}" for n in range(40)]
    people = await clients(call, messaging_settings, names)
    for n, person in enumerate(people):
        await subscribe(call, person, f"+7912347{n:04d}")
    sales = [sale(call.tenant, person, LATE_EVENING, uuid.uuid4()) for person in people]
    await delivered(messaging_settings, sales, "automations-receipts")
    due = LATE_EVENING + timedelta(days=1)
    await asyncio.gather(*(run_at(messaging_settings, call.tenant, due) for _ in range(2)))
    await run_at(messaging_settings, call.tenant, due + timedelta(hours=1))
    counts = [len(await sent_automations(call, person)) for person in people]
    assert counts == [1] * len(people)


async def test_a_client_on_a_channel_the_merchant_no_longer_has_is_skipped_and_counted(
    as_tenant: Any, messaging_settings: MessagingSettings
) -> None:
    call = as_tenant(TELEGRAM_ONLY_TENANT)
    await enable(call, "AFTER_PURCHASE", "Спасибо, {firstName}!", days=1)
    anna, boris = await clients(call, messaging_settings, ["Анна", "Борис"])
    first_chat = 3 * 10**12 + uuid.uuid4().int % 10**12
    for n, person in enumerate((anna, boris)):
        await call.data(LINK, c=str(person), ch="TELEGRAM", a=str(first_chat + n))
    await moved_to_sms(messaging_settings, call.tenant, boris)
    sales = [sale(call.tenant, person, LATE_EVENING, uuid.uuid4()) for person in (anna, boris)]
    await delivered(messaging_settings, sales, "automations-receipts")
    await run_at(messaging_settings, call.tenant, LATE_EVENING + timedelta(days=1, hours=1))

    assert [m["text"] for m in await sent_automations(call, anna)] == ["Спасибо, Анна!"]
    assert await sent_automations(call, boris) == []
    stats = await stats_of(call, "AFTER_PURCHASE")
    assert (stats["recipients"], stats["notConfigured"], stats["unreachable"]) == (1, 1, 0)
    assert stats["failed"] == 0


async def test_tenants_see_and_run_only_their_own_automations(
    as_tenant: Any, messaging_settings: MessagingSettings
) -> None:
    salon, shop = as_tenant(tenant()), as_tenant(tenant())
    await enable(salon, "WELCOME", "Добро пожаловать в салон")
    await salon.data(SETTINGS, input={"timeZone": "Asia/Novosibirsk"})
    (in_salon,) = await clients(salon, messaging_settings, ["Дина"])
    (in_shop,) = await clients(shop, messaging_settings, ["Глеб"])
    await subscribe(salon, in_salon, "+79123460042")
    await subscribe(shop, in_shop, "+79123460041")
    await run_at(messaging_settings, salon.tenant, LATE_EVENING + timedelta(days=1))
    await run_at(messaging_settings, shop.tenant, LATE_EVENING + timedelta(days=1))
    welcomed = [m["text"] for m in await sent_automations(salon, in_salon)]
    assert welcomed == ["Добро пожаловать в салон"]
    assert await sent_automations(shop, in_shop) == []
    # Neither sees the other's customers' messages.
    assert await sent_automations(shop, in_salon) == []
    shops = {a["kind"]: a for a in (await shop.data(AUTOMATIONS))["automations"]}
    assert not any(a["enabled"] for a in shops.values())
    assert shops["WELCOME"]["text"] != "Добро пожаловать в салон"
    assert (await shop.data(READ_SETTINGS))["messagingSettings"] == {
        "timeZone": "Europe/Moscow",
        "quietHoursStart": None,
        "quietHoursEnd": None,
    }


async def test_bad_settings_and_automations_are_refused_with_codes(as_tenant: Any) -> None:
    call = as_tenant(tenant())
    for bad in (
        {"timeZone": "Europe/Atlantis"},
        {"quietHoursStart": 24, "quietHoursEnd": 9},
        {"quietHoursStart": 22, "quietHoursEnd": -1},
        {"quietHoursStart": 22},
    ):
        assert error_code(await call(SETTINGS, input=bad)) == "BAD_USER_INPUT"
    empty = {"kind": "WELCOME", "enabled": True, "text": "  "}
    assert error_code(await call(UPDATE, input=empty)) == "BAD_USER_INPUT"
    no_days = {"kind": "WIN_BACK", "enabled": True, "text": "Ждём"}
    assert error_code(await call(UPDATE, input=no_days)) == "BAD_USER_INPUT"
    viewer = as_tenant(call.tenant, role="VIEWER")
    welcome = {"kind": "WELCOME", "enabled": True, "text": "Привет"}
    assert error_code(await viewer(UPDATE, input=welcome)) == "FORBIDDEN"
    assert (await call.data(READ_SETTINGS))["messagingSettings"]["timeZone"] == "Europe/Moscow"
