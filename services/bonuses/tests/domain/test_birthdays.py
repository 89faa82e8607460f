"""When a birthday bonus is due: the tenant's date, February 29, the turn of the year."""

from datetime import UTC, date, datetime

import pytest

from clientcard_bonuses.domain.birthdays import BirthdayDue, birthday_in, due_on, local_day
from clientcard_bonuses.domain.program import LoyaltyChanges, LoyaltyProgram, ProgramChanges
from clientcard_kit.errors import InvalidInput


def test_a_february_29_birthday_is_kept_on_the_28th_in_other_years() -> None:
    assert birthday_in(2027, 2, 29) == date(2027, 2, 28)
    assert birthday_in(2028, 2, 29) == date(2028, 2, 29)
    assert birthday_in(2027, 3, 1) == date(2027, 3, 1)


def test_due_on_the_day_itself_without_days_before() -> None:
    assert due_on(date(2026, 7, 14), 0) == [BirthdayDue(7, 14, 2026)]


def test_due_from_days_before_up_to_the_birthday_across_the_new_year() -> None:
    due = due_on(date(2026, 12, 30), 3)
    assert due == [
        BirthdayDue(12, 30, 2026),
        BirthdayDue(12, 31, 2026),
        BirthdayDue(1, 1, 2027),
        BirthdayDue(1, 2, 2027),
    ]


def test_february_29_is_due_with_the_28th_in_a_year_without_it() -> None:
    assert due_on(date(2027, 2, 28), 0) == [BirthdayDue(2, 28, 2027), BirthdayDue(2, 29, 2027)]
    # In a leap year it has a day of its own.
    assert due_on(date(2028, 2, 28), 0) == [BirthdayDue(2, 28, 2028)]
    assert due_on(date(2028, 2, 29), 0) == [BirthdayDue(2, 29, 2028)]


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("UTC", date(2026, 3, 9)),
        ("Asia/Vladivostok", date(2026, 3, 10)),
        ("America/New_York", date(2026, 3, 9)),
    ],
)
def test_the_day_is_the_tenants_date(zone: str, day: date) -> None:
    # 21:30 UTC is already the next morning in Vladivostok (UTC+10).
    assert local_day(datetime(2026, 3, 9, 21, 30, tzinfo=UTC), zone) == day


def test_the_birthday_settings_are_checked() -> None:
    program = ProgramChanges(
        loyalty=LoyaltyChanges(time_zone="Europe/Moscow", birthday_days_before=7)
    ).applied_to(LoyaltyProgram())
    assert (program.time_zone, program.birthday_days_before) == ("Europe/Moscow", 7)
    with pytest.raises(InvalidInput) as refused:
        ProgramChanges(loyalty=LoyaltyChanges(time_zone="Mars/Olympus")).applied_to(program)
    assert refused.value.field == "input.timeZone"
    with pytest.raises(InvalidInput):
        ProgramChanges(loyalty=LoyaltyChanges(birthday_days_before=61)).applied_to(program)


def test_the_birthday_bonus_burns_after_its_own_days_or_as_any_accrual() -> None:
    now = datetime(2026, 3, 9, tzinfo=UTC)
    own = LoyaltyProgram(expiry_days=365, birthday_bonus_expiry_days=30)
    assert own.birthday_expiry_from(now) == datetime(2026, 4, 8, tzinfo=UTC)
    assert LoyaltyProgram(expiry_days=365).birthday_expiry_from(now) == datetime(
        2027, 3, 9, tzinfo=UTC
    )
