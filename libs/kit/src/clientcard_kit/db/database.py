"""The async engine and tenant-scoped transactions.

Every table that holds a merchant's data has a row-level security policy comparing its
`tenant_id` to the transaction-local setting `app.tenant_id`. A transaction opened for a
tenant sets it with `set_config(..., is_local => true)`, which PostgreSQL resets at commit
or rollback, so a pooled connection never carries one tenant's scope into the next use.
A transaction opened without a tenant sees no tenant rows at all.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

TENANT_SETTING = "app.tenant_id"

_SET_TENANT = text(f"SELECT set_config('{TENANT_SETTING}', :tenant, true)")


async def set_tenant(session: AsyncSession, tenant: str) -> None:
    """Scope the session's current transaction to one tenant."""
    if not tenant:
        raise ValueError("a tenant id is required")
    await session.execute(_SET_TENANT, {"tenant": tenant})


class Database:
    def __init__(self, url: str, *, pool_size: int = 10, max_overflow: int = 10) -> None:
        self.url = url
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_pre_ping=True,
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self, tenant: str | None = None) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction, committed when the block ends without error."""
        async with self.sessions() as session, session.begin():
            if tenant is not None:
                await set_tenant(session, tenant)
            yield session

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
