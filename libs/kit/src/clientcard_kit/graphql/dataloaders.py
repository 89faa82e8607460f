"""Batch loads answer in the order of the keys they were given, as DataLoader requires."""

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def in_key_order(keys: Sequence[K], rows: Iterable[V], key: Callable[[V], K]) -> list[V | None]:
    """The row of each key, None for a key without one (`WHERE id IN` returns any order)."""
    by_key = {key(row): row for row in rows}
    return [by_key.get(wanted) for wanted in keys]
