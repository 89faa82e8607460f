"""The unit of work: one tenant-scoped transaction, its repositories and its outbox.

Services subclass it and declare their repositories as annotated attributes
(`customers: CustomerRepository`), made afresh on each transaction's session, so code reads
`async with uow: uow.customers.add(...); uow.publish(event); await uow.commit()`, and the
change and the events it announces are committed together or not at all.

The events are collected and written in one statement by `commit()`. In a transaction the
unit of work joins (an event consumer's), whoever opened it commits: the events still
collected when the block ends without an error are written then, inside whatever
savepoint the block ran in, so they commit or roll back with the changes they announce
even if the block never called `commit()`. A block that ends in an error leaves none.
"""

import typing
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts.events.base import Event
from clientcard_kit.db.database import Database, set_tenant
from clientcard_kit.db.repository import Repository
from clientcard_kit.events.outbox import OutboxWriter


class UnitOfWork:
    """Open it with `for_tenant` (it owns its transaction) or `joining` (someone else's)."""

    def __init__(
        self,
        *,
        tenant: str,
        source: str,
        db: Database | None = None,
        session: AsyncSession | None = None,
    ) -> None:
        if (db is None) == (session is None):
            raise ValueError("give either a database or an open session")
        self.tenant = tenant
        self._source = source
        self._db = db
        self._session = session
        self._owns_transaction = session is None
        self._reads_only = False
        self._reading: AbstractAsyncContextManager[AsyncSession] | None = None
        if session is not None:
            self._bind(session)

    @classmethod
    def for_tenant(cls, db: Database, *, tenant: str, source: str) -> Self:
        return cls(tenant=tenant, source=source, db=db)

    @classmethod
    def reading(cls, db: Database, *, tenant: str, source: str) -> Self:
        """A unit of work that only reads, outside any transaction (`Database.reads`):
        nothing to commit, no outbox; what the GraphQL request's loaders read through."""
        uow = cls(tenant=tenant, source=source, db=db)
        uow._reads_only = True
        return uow

    @classmethod
    def joining(cls, session: AsyncSession, *, tenant: str, source: str) -> Self:
        """A unit of work inside a transaction that its opener commits.

        Event consumers use it: the consumer records the event as processed in the same
        transaction as the handler's effects, and commits both itself.
        """
        return cls(tenant=tenant, source=source, session=session)

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is not started: use 'async with'")
        return self._session

    async def __aenter__(self) -> Self:
        if not self._owns_transaction:
            return self
        assert self._db is not None
        if self._reads_only:
            self._reading = self._db.reads(self.tenant)
            self._session = await self._reading.__aenter__()
            self._bind(self._session)
            return self
        self._session = self._db.sessions()
        await self._session.begin()
        await set_tenant(self._session, self.tenant)
        self._bind(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._reading is not None:
            reading, self._reading, self._session = self._reading, None, None
            await reading.__aexit__(exc_type, exc, tb)
            return
        if self._session is not None:
            if exc_type is None and not self._owns_transaction:
                await self.outbox.write()
            else:
                # An owned transaction that was not committed rolls back; an error undoes
                # the block's changes: either way their events must not leave.
                self.outbox.discard()
        if not self._owns_transaction or self._session is None:
            return
        try:
            if self._session.in_transaction():
                await self._session.rollback()
        finally:
            await self._session.close()
            self._session = None

    def _bind(self, session: AsyncSession) -> None:
        """Create the outbox and the declared repositories on the session."""
        self.outbox = OutboxWriter(session, source=self._source)
        for name, repository in _declared_repositories(type(self)):
            setattr(self, name, repository(session, self.tenant))

    def publish(self, event: Event) -> None:
        """Announce a change; the event leaves only if the transaction commits."""
        if event.tenant_id != self.tenant:
            raise ValueError("an event must belong to the unit of work's tenant")
        self.outbox.add(event)

    async def flush(self) -> None:
        await self.session.flush()

    async def commit(self) -> None:
        """Commit an owned transaction; in a joined one, only flush (the opener commits)."""
        if self._reads_only:
            raise RuntimeError("a unit of work opened for reading cannot commit")
        await self.outbox.write()
        if self._owns_transaction:
            await self.session.commit()
        else:
            await self.session.flush()

    async def rollback(self) -> None:
        if self._owns_transaction:
            await self.session.rollback()


_DECLARED: dict[type[UnitOfWork], tuple[tuple[str, type[Repository]], ...]] = {}


def _declared_repositories(
    unit_of_work: type[UnitOfWork],
) -> tuple[tuple[str, type[Repository]], ...]:
    """The attributes a unit of work class annotates with a repository class (read once)."""
    declared = _DECLARED.get(unit_of_work)
    if declared is None:
        hints = typing.get_type_hints(unit_of_work)
        declared = tuple(
            (name, hint)
            for name, hint in hints.items()
            if isinstance(hint, type) and issubclass(hint, Repository)
        )
        _DECLARED[unit_of_work] = declared
    return declared
