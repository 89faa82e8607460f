"""A tenant's messaging settings: its time zone and the quiet hours nothing automatic is
sent in.

Quiet hours are whole local hours from `start` up to (not including) `end`; a start later
than the end spans midnight (22 to 9 is quiet from 22:00 until 09:00 the next morning).
Without settings a tenant is on Moscow time with no quiet hours.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clientcard_messaging.domain.errors import InvalidInput

DEFAULT_TIME_ZONE = "Europe/Moscow"


@dataclass(frozen=True, slots=True)
class MessagingSettings:
    time_zone: str = DEFAULT_TIME_ZONE
    quiet_hours_start: int | None = None
    quiet_hours_end: int | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def is_quiet(self, at: datetime) -> bool:
        start, end = self.quiet_hours_start, self.quiet_hours_end
        if start is None or end is None:
            return False
        hour = at.astimezone(self.zone).hour
        return start <= hour < end if start < end else hour >= start or hour < end

    def quiet_until(self, at: datetime) -> datetime | None:
        """When the quiet hours `at` falls in end; None when `at` is not in them."""
        if not self.is_quiet(at) or self.quiet_hours_end is None:
            return None
        local = at.astimezone(self.zone)
        end = datetime.combine(local.date(), time(self.quiet_hours_end), tzinfo=self.zone)
        if end <= local:
            end = datetime.combine(
                local.date() + timedelta(days=1), time(self.quiet_hours_end), tzinfo=self.zone
            )
        return end

    def local_date(self, at: datetime) -> str:
        """The day `at` falls on in the tenant's time zone, as customers read dates."""
        return at.astimezone(self.zone).strftime("%d.%m.%Y")


def changed(
    current: MessagingSettings,
    *,
    time_zone: str | None,
    quiet_hours: tuple[int | None, int | None] | None,
) -> MessagingSettings:
    """The settings with what was given changed (None: left as they are); checked."""
    zone = current.time_zone if time_zone is None else _zone(time_zone)
    start, end = (
        (current.quiet_hours_start, current.quiet_hours_end) if quiet_hours is None else quiet_hours
    )
    for field, hour in (("input.quietHoursStart", start), ("input.quietHoursEnd", end)):
        if hour is not None and not 0 <= hour <= 23:
            raise InvalidInput(field, "an hour is from 0 to 23")
    if (start is None) != (end is None):
        raise InvalidInput("input.quietHoursEnd", "quiet hours need both a start and an end")
    if start is not None and start == end:
        raise InvalidInput("input.quietHoursEnd", "quiet hours end at a different hour")
    return MessagingSettings(time_zone=zone, quiet_hours_start=start, quiet_hours_end=end)


def _zone(name: str) -> str:
    cleaned = name.strip()
    try:
        ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("input.timeZone", f"unknown time zone {name!r}") from None
    return cleaned
