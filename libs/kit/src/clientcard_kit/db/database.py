"""The async engine and tenant-scoped transactions.

Every table that holds a merchant's data has a row-level security policy comparing its
`tenant_id` to the transaction-local setting `app.tenant_id`. A transaction opened for a
tenant sets it with `set_config(..., is_local => true)`, which PostgreSQL resets at commit
or rollback, so a pooled connection never carries one tenant's scope into the next use.
A transaction opened without a tenant sees no tenant rows at all.

Reads that need no transaction (the DataLoaders of a GraphQL request) take connections of
a pool of their own, in autocommit: each connection keeps the tenant of its last reader
as a session setting and sets it again only for another tenant. A read then costs its
statements alone, not a liveness ping, BEGIN, the tenant's setting and ROLLBACK around
them (four round trips). Only `reads` touches that pool, and it always sets the tenant
first, so no connection of it is ever used for a tenant it was not set for.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

TENANT_SETTING = "app.tenant_id"

_SET_TENANT = text(f"SELECT set_config('{TENANT_SETTING}', :tenant, true)")
# For the whole session of a reads connection (see `Database.reads`).
_SET_SESSION_TENANT = f"SELECT set_config('{TENANT_SETTING}', %(tenant)s, false)"
# Where a reads connection remembers the tenant it is set for (its DBAPI connection's
# `info`, which lives and dies with the connection itself).
_READS_TENANT = "clientcard.reads_tenant"


async def set_tenant(session: AsyncSession, tenant: str) -> None:
    """Scope the session's current transaction to one tenant."""
    if not tenant:
        raise ValueError("a tenant id is required")
    await session.execute(_SET_TENANT, {"tenant": tenant})


class Database:
    def __init__(
        self, url: str, *, pool_size: int = 10, max_overflow: int = 10, read_pool_size: int = 5
    ) -> None:
        self.url = url
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_pre_ping=True,
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # No liveness ping: a read on a connection that died is simply read again
        # (`is_lost_connection`), which a write could not be.
        self.reads_engine: AsyncEngine = create_async_engine(
            url,
            pool_size=read_pool_size,
            max_overflow=max_overflow,
            isolation_level="AUTOCOMMIT",
        )
        self._read_sessions = async_sessionmaker(self.reads_engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self, tenant: str | None = None) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction, committed when the block ends without error."""
        async with self.sessions() as session, session.begin():
            if tenant is not None:
                await set_tenant(session, tenant)
            yield session

    @asynccontextmanager
    async def reads(self, tenant: str) -> AsyncIterator[AsyncSession]:
        """A session that only reads the tenant's rows, outside any transaction: each
        statement sees what was committed before it began, as under READ COMMITTED."""
        if not tenant:
            raise ValueError("a tenant id is required")
        async with self._read_sessions() as session:
            connection = await session.connection()
            if connection.info.get(_READS_TENANT) != tenant:
                await connection.exec_driver_sql(_SET_SESSION_TENANT, {"tenant": tenant})
                connection.info[_READS_TENANT] = tenant
            yield session

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
        await self.reads_engine.dispose()


def is_lost_connection(error: BaseException) -> bool:
    """Whether a statement failed because its connection was gone (the server restarted,
    a network cut): SQLAlchemy has dropped such connections from the pool by then."""
    return isinstance(error, DBAPIError) and error.connection_invalidated
