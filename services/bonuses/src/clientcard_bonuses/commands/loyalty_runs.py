"""The loyalty program's runs over every tenant (started by the jobs in
`entrypoints.jobs`, on every replica): pending lots freed, spends counted again as sales
leave the window, tiers placed after a change, the day's birthday bonuses.

Each pass takes one batch per tenant and says how much it did, so a job with a backlog
runs again at once and a tenant with a million accounts does not hold up the others.
Replicas share the work safely: the commands skip accounts others hold, take a tiers
run's batches one at a time under the program's lock, and claim each birthday's key.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime

from clientcard_bonuses.commands.loyalty import (
    give_birthday_bonuses,
    place_in_tiers,
    release_pending,
    review_spends,
)
from clientcard_bonuses.db.tenants import all_tenants
from clientcard_bonuses.db.unit_of_work import SOURCE, BonusesUnitOfWork
from clientcard_kit.db import Database

ACCOUNTS_PER_BATCH = 1000
# Each batch holds its accounts' locks until it commits: a receipt of one of them waits
# for at most one batch.
TIERS_PER_BATCH = 2000

Batch = Callable[[BonusesUnitOfWork], Awaitable[int]]


async def _each_tenant(db: Database, batch: Batch) -> int:
    async with db.transaction() as session:
        tenants = await all_tenants(session)
    done = 0
    for tenant in tenants:
        async with BonusesUnitOfWork.for_tenant(db, tenant=tenant, source=SOURCE) as uow:
            done += await batch(uow)
    return done


async def free_pending(db: Database, now: datetime) -> int:
    return await _each_tenant(db, lambda uow: release_pending(uow, now, ACCOUNTS_PER_BATCH))


async def review_tiers(db: Database, now: datetime) -> int:
    """Spends counted again, then a batch of any tiers run that is due."""
    reviewed = await _each_tenant(db, lambda uow: review_spends(uow, now, ACCOUNTS_PER_BATCH))
    return reviewed + await _each_tenant(db, lambda uow: place_in_tiers(uow, TIERS_PER_BATCH))


async def birthday_bonuses(db: Database, now: datetime) -> int:
    return await _each_tenant(db, lambda uow: give_birthday_bonuses(uow, now, ACCOUNTS_PER_BATCH))
