"""The expiry job: burns what is left of expired lots, in every tenant, on every replica.

Each replica runs it; they share the work safely because `commands.expire_lots` takes
only accounts no one holds and reads their lots after locking them.
"""

from datetime import UTC, datetime

from clientcard_bonuses.commands import expire_lots
from clientcard_bonuses.db.tenants import all_tenants
from clientcard_bonuses.db.unit_of_work import SOURCE, BonusesUnitOfWork
from clientcard_kit.db import Database
from clientcard_kit.jobs import PeriodicJob
from clientcard_kit.runtime import ServiceRuntime

ACCOUNTS_PER_TENANT = 500
INTERVAL_SECONDS = 60.0


async def burn_expired(db: Database, now: datetime) -> int:
    """One pass over every tenant; returns how many lots burned."""
    async with db.transaction() as session:
        tenants = await all_tenants(session)
    burned = 0
    for tenant in tenants:
        async with BonusesUnitOfWork.for_tenant(db, tenant=tenant, source=SOURCE) as uow:
            burned += await expire_lots(uow, now, ACCOUNTS_PER_TENANT)
    return burned


async def _tick(runtime: ServiceRuntime) -> int:
    return await burn_expired(runtime.db, datetime.now(UTC))


EXPIRY = PeriodicJob("bonus-expiry", _tick, interval_seconds=INTERVAL_SECONDS)
