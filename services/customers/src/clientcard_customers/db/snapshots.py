"""Reading a tenant as it stood at one moment, however long the reading takes.

An export walks the whole list a page at a time for a minute or more; in its own
REPEATABLE READ transaction every page sees the same snapshot, so a customer whose
figures change meanwhile (and so moves along the list's order) is written once, where
they stood when the export began, never twice nor skipped.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from clientcard_customers.db.unit_of_work import SOURCE, CustomersUnitOfWork
from clientcard_kit.db.database import Database, set_tenant


@asynccontextmanager
async def snapshot(db: Database, tenant: str) -> AsyncIterator[CustomersUnitOfWork]:
    """The tenant's repositories on one snapshot; nothing read through them is changed."""
    async with db.sessions() as session:
        # The isolation level holds for this transaction; the pool resets it afterwards.
        await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        await set_tenant(session, tenant)
        try:
            yield CustomersUnitOfWork.joining(session, tenant=tenant, source=SOURCE)
        finally:
            await session.rollback()
