"""When the birthday bonus is due: dates in the tenant's time zone.

The bonus of a birthday is due from `days_before` days before it up to the day itself,
so a day the job missed (a restart, an outage) is made up for, and a customer who gives
a birth date a few days before the birthday still gets it; it is accrued once per
customer and year. A birthday on February 29 falls on February 28 in other years.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clientcard_kit.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class BirthdayDue:
    """Customers born on `month`/`day` whose birthday of `year` is due."""

    month: int
    day: int
    year: int


def birthday_in(year: int, month: int, day: int) -> date:
    """The day a birthday is kept in `year` (February 29 on the 28th in other years)."""
    if (month, day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def local_day(now: datetime, time_zone: str) -> date:
    """The tenant's date at `now`."""
    return now.astimezone(zone(time_zone)).date()


def due_on(today: date, days_before: int) -> list[BirthdayDue]:
    """The birth month-days whose bonus is due on `today` and the year of each."""
    due = []
    for offset in range(days_before + 1):
        day = today + timedelta(days=offset)
        due.append(BirthdayDue(day.month, day.day, day.year))
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            due.append(BirthdayDue(2, 29, day.year))
    return due


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("input.timeZone", f"{name!r} is no IANA time zone") from None
