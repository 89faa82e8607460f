"""Expiry in every tenant: burn what is left of expired lots, and end reservations no till
used (run by the jobs in `entrypoints.jobs`, on every replica).

Each replica runs them; they share the work safely because the commands take only
accounts no one holds and read lots and reservations again after locking them.
"""

from datetime import datetime

from clientcard_bonuses.commands import expire_lots, expire_reservations
from clientcard_bonuses.db.tenants import all_tenants
from clientcard_bonuses.db.unit_of_work import SOURCE, BonusesUnitOfWork
from clientcard_kit.db import Database

ACCOUNTS_PER_TENANT = 500


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
