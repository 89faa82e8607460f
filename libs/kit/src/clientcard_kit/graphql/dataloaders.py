"""DataLoaders of a request: loads batched per unit of work, answered in key order."""

from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, TypeVar

from clientcard_kit.db.database import is_lost_connection
from clientcard_kit.observability import tracing

if TYPE_CHECKING:
    from strawberry.dataloader import DataLoader

    from clientcard_kit.graphql.context import RequestContext

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def in_key_order(keys: Sequence[K], rows: Iterable[V], key: Callable[[V], K]) -> list[V | None]:
    """The row of each key, None for a key without one (`WHERE id IN` returns any order)."""
    by_key = {key(row): row for row in rows}
    return [by_key.get(wanted) for wanted in keys]


U = TypeVar("U")
ByKey = Callable[[U, list[K]], Awaitable[Mapping[K, V]]]


async def _read(
    context: "RequestContext[Any]",
    open_uow: Callable[[], AbstractAsyncContextManager[U]],
    batch: ByKey[U, K, V],
    keys: list[K],
) -> Mapping[K, V]:
    async with context.reads.using(open_uow) as uow:
        return await batch(uow, keys)


def unit_of_work_loader(
    context: "RequestContext[Any]",
    name: Hashable,
    open_uow: Callable[[], AbstractAsyncContextManager[U]],
    batch: ByKey[U, K, V],
    default: V,
) -> "DataLoader[K, V]":
    """The request's loader `name`: one `batch` call for all its keys.

    Every loader of the request reads in the request's one unit of work (`open_uow` opens
    it for the first). `batch` answers a mapping; a key it leaves out gets `default` (an
    empty page, a zero count, None for a missing row).
    """

    async def load(keys: list[K]) -> Sequence[V]:
        with tracing.loader_batch(str(name), len(keys)):
            try:
                found = await _read(context, open_uow, batch, keys)
            except Exception as exc:
                if not is_lost_connection(exc):
                    raise
                # The connection died under the read (the database restarted): read again
                # on a new one; a read changes nothing, so this is always safe.
                found = await _read(context, open_uow, batch, keys)
        return [found.get(key, default) for key in keys]

    return context.loader(name, load)
