"""Automations: how merchants set them up, their texts filled in, their occasion keys."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from clientcard_contracts.enums import AutomationKind, Channel
from clientcard_messaging.domain import automations
from clientcard_messaging.domain.automations import Facts
from clientcard_messaging.domain.errors import InvalidInput
from clientcard_messaging.domain.quiet_hours import MessagingSettings

MOSCOW = MessagingSettings()
# 22:30 UTC on the 14th is already the 15th in Moscow.
BURNS_AT = datetime(2026, 12, 14, 22, 30, tzinfo=UTC)


def test_every_placeholder_is_filled_with_the_customers_figures_in_local_time() -> None:
    text = "{firstName}: {bonusBalance} на счету, {expiringAmount} сгорят {expiringDate}"
    facts = Facts("Анна", Decimal("1250.00"), Decimal("300.50"), BURNS_AT)
    assert (
        automations.filled(text, facts, MOSCOW) == "Анна: 1250 на счету, 300.50 сгорят 15.12.2026"
    )
    in_london = automations.filled("{expiringDate}", facts, MessagingSettings("Europe/London"))
    assert in_london == "14.12.2026"


def test_what_is_not_known_reads_naturally() -> None:
    facts = Facts(None, None, None, None)
    filled = automations.filled("{firstName}! Бонусов: {bonusBalance}", facts, MOSCOW)
    assert filled == "Здравствуйте! Бонусов: 0"


def test_an_automation_is_checked_as_it_is_set_up() -> None:
    set_up = automations.automation(
        AutomationKind.BONUS_EXPIRY,
        enabled=True,
        text="  {firstName}, {expiringDate} сгорят бонусы ",
        delay_days=3,
        channel=Channel.TELEGRAM,
    )
    assert (set_up.text, set_up.delay, set_up.channel) == (
        "{firstName}, {expiringDate} сгорят бонусы",
        timedelta(days=3),
        Channel.TELEGRAM,
    )


@pytest.mark.parametrize(
    ("kind", "text", "days", "field"),
    [
        (AutomationKind.WELCOME, "   ", None, "input.text"),
        (AutomationKind.WELCOME, "Привет, {name}", None, "input.text"),
        (AutomationKind.AFTER_PURCHASE, "Спасибо", -1, "input.delayDays"),
        (AutomationKind.AFTER_PURCHASE, "Спасибо", 366, "input.delayDays"),
        (AutomationKind.WIN_BACK, "Ждём вас", None, "input.delayDays"),
        (AutomationKind.BONUS_EXPIRY, "Сгорят", 0, "input.delayDays"),
    ],
)
def test_bad_automations_are_refused_naming_the_field(
    kind: AutomationKind, text: str, days: int | None, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        automations.automation(kind, enabled=True, text=text, delay_days=days, channel=None)
    assert refused.value.field == field


def test_an_untouched_automation_is_off_with_a_text_to_start_from() -> None:
    for kind in AutomationKind:
        untouched = automations.untouched(kind)
        assert not untouched.enabled
        assert untouched.text
        # Every default text is one the merchant could save as it is.
        automations.automation(
            kind, enabled=True, text=untouched.text, delay_days=untouched.delay_days, channel=None
        )


def test_occasion_keys_make_one_message_per_occasion() -> None:
    receipt = uuid.uuid4()
    assert automations.purchase_occasion(receipt) == f"receipt:{receipt}"
    assert automations.purchase_occasion(receipt) != automations.purchase_occasion(uuid.uuid4())
    assert automations.welcome_occasion() == "registered"
    # The same expiry however it is spelled; another expiry is another occasion.
    in_moscow = BURNS_AT.astimezone(MOSCOW.zone)
    assert automations.expiry_occasion(in_moscow) == "expiry:2026-12-14T22:30:00Z"
    assert automations.expiry_occasion(BURNS_AT + timedelta(days=1)) != (
        automations.expiry_occasion(BURNS_AT)
    )
    assert automations.win_back_occasion(BURNS_AT) == "last-purchase:2026-12-14T22:30:00Z"


def test_a_birthday_is_one_occasion_a_year_in_the_tenants_time_zone() -> None:
    new_years_eve = datetime(2026, 12, 31, 22, 0, tzinfo=UTC)  # 01:00 on Jan 1 in Moscow
    assert automations.birthday_occasion(new_years_eve, MOSCOW) == "year:2027"
    utc_settings = MessagingSettings("UTC")
    assert automations.birthday_occasion(new_years_eve, utc_settings) == "year:2026"


def test_an_occasion_goes_out_only_on_a_channel_the_merchant_has() -> None:
    telegram_only = frozenset({Channel.TELEGRAM})
    assert automations.outcome(Channel.TELEGRAM, telegram_only) is automations.Outcome.QUEUED
    assert automations.outcome(Channel.SMS, telegram_only) is automations.Outcome.NOT_CONFIGURED
    assert automations.outcome(None, telegram_only) is automations.Outcome.UNREACHABLE
    assert automations.outcome(None, frozenset()) is automations.Outcome.UNREACHABLE
