"""A tenant's quiet hours: in its own time zone, across midnight, and when they end."""

from datetime import UTC, datetime

import pytest

from clientcard_messaging.domain import quiet_hours
from clientcard_messaging.domain.errors import InvalidInput
from clientcard_messaging.domain.quiet_hours import MessagingSettings

NIGHT = MessagingSettings("Europe/Moscow", 22, 9)  # Moscow is UTC+3 all year


def utc(hour: int, minute: int = 0, day: int = 10) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (utc(18, 59), False),  # 21:59 in Moscow
        (utc(19, 0), True),  # 22:00
        (utc(21, 0), True),  # midnight
        (utc(5, 59), True),  # 08:59
        (utc(6, 0), False),  # 09:00: the end hour is not quiet
        (utc(12, 0), False),
    ],
)
def test_quiet_hours_spanning_midnight_are_read_in_the_tenants_time_zone(
    moment: datetime, quiet: bool
) -> None:
    assert NIGHT.is_quiet(moment) is quiet


def test_quiet_hours_within_one_day_and_none_at_all() -> None:
    lunch = MessagingSettings("Asia/Vladivostok", 13, 14)  # UTC+10
    assert lunch.is_quiet(utc(3, 30))
    assert not lunch.is_quiet(utc(4, 0))
    assert not MessagingSettings().is_quiet(utc(21, 0))


def test_what_is_held_in_quiet_hours_waits_until_they_end_the_next_local_morning() -> None:
    # 23:30 in Moscow on the 10th: held until 09:00 on the 11th, 06:00 UTC.
    assert NIGHT.quiet_until(utc(20, 30)) == utc(6, 0, day=11)
    # 02:00 on the 11th in Moscow (23:00 UTC on the 10th): the same morning.
    assert NIGHT.quiet_until(utc(23, 0)) == utc(6, 0, day=11)
    assert NIGHT.quiet_until(utc(12, 0)) is None


def test_the_same_moment_is_quiet_in_one_time_zone_and_not_in_another() -> None:
    moment = utc(20, 0)  # 23:00 in Moscow, 12:00 in Los Angeles
    assert NIGHT.is_quiet(moment)
    assert not MessagingSettings("America/Los_Angeles", 22, 9).is_quiet(moment)


def test_the_default_is_moscow_time_without_quiet_hours() -> None:
    assert MessagingSettings() == MessagingSettings("Europe/Moscow", None, None)


def test_settings_change_only_what_is_given_and_clear_quiet_hours_with_two_nulls() -> None:
    changed = quiet_hours.changed(NIGHT, time_zone=" Asia/Yekaterinburg ", quiet_hours=None)
    assert changed == MessagingSettings("Asia/Yekaterinburg", 22, 9)
    cleared = quiet_hours.changed(changed, time_zone=None, quiet_hours=(None, None))
    assert cleared == MessagingSettings("Asia/Yekaterinburg", None, None)


@pytest.mark.parametrize(
    ("zone", "hours", "field"),
    [
        ("Mars/Olympus", None, "input.timeZone"),
        ("", None, "input.timeZone"),
        (None, (24, 9), "input.quietHoursStart"),
        (None, (22, -1), "input.quietHoursEnd"),
        (None, (22, None), "input.quietHoursEnd"),
        (None, (9, 9), "input.quietHoursEnd"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(
    zone: str | None, hours: tuple[int | None, int | None] | None, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        quiet_hours.changed(MessagingSettings(), time_zone=zone, quiet_hours=hours)
    assert refused.value.field == field
