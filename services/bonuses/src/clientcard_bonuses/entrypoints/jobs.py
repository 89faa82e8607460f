"""The background jobs of bonuses: expiry of lots and of unused reservations."""

from datetime import UTC, datetime

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
