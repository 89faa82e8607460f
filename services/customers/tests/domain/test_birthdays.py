from datetime import date

import pytest

from clientcard_customers.domain.birthdays import birthday_ranges, month_day


def test_a_window_inside_one_month_is_one_range() -> None:
    assert birthday_ranges(date(2026, 3, 10), 7) == [(310, 317)]


def test_a_window_across_months_is_still_one_range() -> None:
    assert birthday_ranges(date(2026, 4, 28), 5) == [(428, 503)]


def test_the_turn_of_the_year_splits_the_window() -> None:
    assert birthday_ranges(date(2026, 12, 29), 5) == [(101, 103), (1229, 1231)]


def test_today_alone_is_a_zero_day_window() -> None:
    assert birthday_ranges(date(2026, 6, 1), 0) == [(601, 601)]


def test_leap_day_birthdays_count_on_the_28th_in_other_years() -> None:
    assert birthday_ranges(date(2026, 2, 27), 1) == [(227, 229)]
    assert birthday_ranges(date(2026, 3, 1), 3) == [(301, 304)]


def test_a_leap_year_has_its_own_leap_day() -> None:
    assert birthday_ranges(date(2028, 2, 29), 1) == [(229, 301)]


def test_a_whole_year_covers_every_day() -> None:
    assert birthday_ranges(date(2026, 1, 1), 366) == [(101, 1231)]


@pytest.mark.parametrize("days", [-1, 367])
def test_a_window_out_of_range_is_refused(days: int) -> None:
    with pytest.raises(ValueError, match="0 to 366"):
        birthday_ranges(date(2026, 1, 1), days)


def test_month_day_numbers() -> None:
    assert month_day(date(1990, 12, 31)) == 1231
    assert month_day(date(1990, 1, 5)) == 105
