"""One read connection for all the DataLoaders of a request.

A card's request fans out into several loaders (the customer, their segments, a page of
notes, the notes' count, ...). Each in a unit of work of its own would pay, per loader, a
pool checkout and the tenant's setting around one query. Here the first loader opens the
request's reading unit of work (`UnitOfWork.reading`: the reads pool, outside any
transaction, see `db.database`) and the others reuse it, one at a time (a connection runs
one statement at a time); the operation's end gives it back (`CloseRequestReads`).

Only reads go through it: commands open their own unit of work and commit it. Each
statement sees everything committed before it started, so a mutation's result, loaded
after its commit, is read fresh.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any, TypeVar

from strawberry.extensions import SchemaExtension

U = TypeVar("U")
Opening = AbstractAsyncContextManager


class RequestReads:
    """The request's shared unit of work for reading, opened on first use."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._open: AsyncExitStack | None = None
        self._unit_of_work: Any = None

    @property
    def is_open(self) -> bool:
        return self._open is not None

    @asynccontextmanager
    async def using(self, open_uow: Callable[[], Opening[U]]) -> AsyncIterator[U]:
        """The shared unit of work, for the caller alone until its block ends.

        Every caller of one request passes the same kind of unit of work (the service's);
        a failure inside a block closes it, so the next caller starts on a clean connection
        rather than one PostgreSQL has aborted.
        """
        async with self._lock:
            if self._open is None:
                stack = AsyncExitStack()
                self._unit_of_work = await stack.enter_async_context(open_uow())
                self._open = stack
            try:
                yield self._unit_of_work
            except BaseException:
                await self._close()
                raise

    async def close(self) -> None:
        async with self._lock:
            await self._close()

    async def _close(self) -> None:
        stack, self._open, self._unit_of_work = self._open, None, None
        if stack is not None:
            await stack.aclose()


class CloseRequestReads(SchemaExtension):
    """Gives the request's read connection back when its operation has been executed."""

    async def on_operation(self) -> AsyncIterator[None]:
        try:
            yield
        finally:
            reads = getattr(self.execution_context.context, "reads", None)
            if isinstance(reads, RequestReads):
                await reads.close()


__all__ = ["CloseRequestReads", "RequestReads"]
