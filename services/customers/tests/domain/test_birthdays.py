from datetime import date

import pytest

from clientcard_customers.domain.birthdays import birthday_ranges, month_day, next_birthday_rank


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


def _soonest_first(birthdays: list[int | None], today: date) -> list[int | None]:
    return sorted(birthdays, key=lambda day: next_birthday_rank(day, today))


def test_next_birthday_order_starts_today_and_wraps_into_next_year() -> None:
    birthdays: list[int | None] = [101, 609, 610, 611, 1231, None]
    assert _soonest_first(birthdays, date(2026, 6, 10)) == [610, 611, 1231, 101, 609, None]


def test_a_leap_day_birthday_comes_right_after_the_28th() -> None:
    birthdays: list[int | None] = [301, 229, 228, 227]
    assert _soonest_first(birthdays, date(2027, 2, 28)) == [228, 229, 301, 227]
    # On 1 March of a year without 29 February, it was celebrated yesterday: next year's.
    assert _soonest_first(birthdays, date(2027, 3, 1)) == [301, 227, 228, 229]


def test_every_rank_of_a_run_is_below_every_rank_of_the_next() -> None:
    today = date(2026, 6, 10)
    this_year = [next_birthday_rank(day, today) for day in (610, 1231)]
    next_year = [next_birthday_rank(day, today) for day in (101, 609)]
    assert max(this_year) < min(next_year)
    assert max(next_year) < next_birthday_rank(None, today)
