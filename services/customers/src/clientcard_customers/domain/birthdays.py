"""Which birthdays fall within the next N days, as ranges of month-and-day numbers.

Customers store their birthday as `month * 100 + day` (e.g. 1231), which an index can
serve; the window "today and the next N days" becomes a few ranges of those numbers, with
the turn of the year splitting it in two. A 29 February birthday is celebrated on
28 February in a year without that day, so it is in the window whenever 28 February is.
"""

from datetime import date, timedelta

MAX_WINDOW_DAYS = 366
LEAP_DAY = 229
EVE_OF_LEAP_DAY = 228

# The order "next birthday first" ranks a customer by month-day number, with the birthdays
# already past this year moved behind the rest of the year and those without a birth date
# last of all. Every rank of one group is below every rank of the next.
NEXT_YEAR = 10_000
NO_BIRTHDAY = 20_000


def month_day(day: date) -> int:
    return day.month * 100 + day.day


def next_birthday_rank(birth_month_day: int | None, today: date) -> int:
    """Where a customer stands in "next birthday first" order on `today` (smaller: sooner).

    A 29 February birthday ranks right after 28 February, where it is celebrated in a year
    without that day, so the order is the same in every year.
    """
    if birth_month_day is None:
        return NO_BIRTHDAY
    if birth_month_day < month_day(today):
        return birth_month_day + NEXT_YEAR
    return birth_month_day


def birthday_ranges(today: date, within_days: int) -> list[tuple[int, int]]:
    """Inclusive (from, to) ranges of month-day numbers from today to today + within_days."""
    if not 0 <= within_days <= MAX_WINDOW_DAYS:
        raise ValueError(f"the window must be 0 to {MAX_WINDOW_DAYS} days")
    days = {month_day(today + timedelta(days=offset)) for offset in range(within_days + 1)}
    if EVE_OF_LEAP_DAY in days:
        days.add(LEAP_DAY)
    return _ranges(sorted(days))


def _ranges(values: list[int]) -> list[tuple[int, int]]:
    """Collapse sorted month-day numbers into runs of consecutive calendar days."""
    ranges: list[tuple[int, int]] = []
    for value in values:
        if ranges and _next_month_day(ranges[-1][1]) == value:
            ranges[-1] = (ranges[-1][0], value)
        else:
            ranges.append((value, value))
    return ranges


def _next_month_day(value: int) -> int:
    # 2000 is a leap year, so every month-day number, 229 included, is a real date in it.
    current = date(2000, value // 100, value % 100)
    return month_day(current + timedelta(days=1))
