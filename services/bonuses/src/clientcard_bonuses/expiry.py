"""The expiry jobs: burn what is left of expired lots, and end reservations no till used,
in every tenant, on every replica.

Each replica runs them; they share the work safely because the commands take only
accounts no one holds and read lots and reservations again after locking them.
"""

from datetime import UTC, datetime

from clientcard_bonuses.commands import expire_lots, expire_reservations
from clientcard_bonuses.db.tenants import all_tenants
from clientcard_bonuses.db.unit_of_work import SOURCE, BonusesUnitOfWork
from clientcard_kit.db import Database
from clientcard_kit.jobs import PeriodicJob
from clientcard_kit.runtime import ServiceRuntime

ACCOUNTS_PER_TENANT = 500
INTERVAL_SECONDS = 60.0
# A till's reservation lasts minutes: ended within seconds of its time, its bonuses are
# spendable again almost at once.
RESERVATIONS_INTERVAL_SECONDS = 5.0


async def burn_expired(db: Database, now: datetime) -> int:
    """One pass over every tenant; returns how many lots burned."""
    async with db.transaction() as session:
        tenants = await all_tenants(session)
    burned = 0
    for tenant in tenants:
        async with BonusesUnitOfWork.for_tenant(db, tenant=tenant, source=SOURCE) as uow:
            burned += await expire_lots(uow, now, ACCOUNTS_PER_TENANT)
    return burned


async def end_unused_reservations(db: Database, now: datetime) -> int:
    """One pass over every tenant; returns how many reservations expired."""
    async with db.transaction() as session:
        tenants = await all_tenants(session)
    ended = 0
    for tenant in tenants:
        async with BonusesUnitOfWork.for_tenant(db, tenant=tenant, source=SOURCE) as uow:
            ended += await expire_reservations(uow, now, ACCOUNTS_PER_TENANT)
    return ended


async def _tick(runtime: ServiceRuntime) -> int:
    return await burn_expired(runtime.db, datetime.now(UTC))


async def _reservations_tick(runtime: ServiceRuntime) -> int:
    return await end_unused_reservations(runtime.db, datetime.now(UTC))


EXPIRY = PeriodicJob("bonus-expiry", _tick, interval_seconds=INTERVAL_SECONDS)
RESERVATION_EXPIRY = PeriodicJob(
    "bonus-reservation-expiry", _reservations_tick, interval_seconds=RESERVATIONS_INTERVAL_SECONDS
)
