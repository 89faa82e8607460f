"""The background jobs of bonuses: expiry of lots and of unused reservations; the loyalty
program's pending lots, tiers and birthday bonuses."""

from datetime import UTC, datetime

from clientcard_bonuses.commands import loyalty_runs
from clientcard_bonuses.commands.expiry import burn_expired, end_unused_reservations
from clientcard_kit.jobs import PeriodicJob
from clientcard_kit.runtime import ServiceRuntime

INTERVAL_SECONDS = 60.0
# A till's reservation lasts minutes: ended within seconds of its time, its bonuses are
# spendable again almost at once.
RESERVATIONS_INTERVAL_SECONDS = 5.0


async def _tick(runtime: ServiceRuntime) -> int:
    return await burn_expired(runtime.db, datetime.now(UTC))


async def _reservations_tick(runtime: ServiceRuntime) -> int:
    return await end_unused_reservations(runtime.db, datetime.now(UTC))


EXPIRY = PeriodicJob("bonus-expiry", _tick, interval_seconds=INTERVAL_SECONDS)
RESERVATION_EXPIRY = PeriodicJob(
    "bonus-reservation-expiry", _reservations_tick, interval_seconds=RESERVATIONS_INTERVAL_SECONDS
)


async def _pending_tick(runtime: ServiceRuntime) -> int:
    return await loyalty_runs.free_pending(runtime.db, datetime.now(UTC))


async def _tiers_tick(runtime: ServiceRuntime) -> int:
    return await loyalty_runs.review_tiers(runtime.db, datetime.now(UTC))


async def _birthdays_tick(runtime: ServiceRuntime) -> int:
    return await loyalty_runs.birthday_bonuses(runtime.db, datetime.now(UTC))


PENDING_RELEASE = PeriodicJob(
    "bonus-pending-release", _pending_tick, interval_seconds=INTERVAL_SECONDS
)
# Sales leave the 365-day window by the minute; a tiers run after a program change is
# taken a batch per tick, back to back.
TIERS = PeriodicJob("loyalty-tiers", _tiers_tick, interval_seconds=INTERVAL_SECONDS)
# Due birthdays change once a day; looking every few minutes finds a new day's soon.
BIRTHDAYS = PeriodicJob("birthday-bonuses", _birthdays_tick, interval_seconds=300.0)
