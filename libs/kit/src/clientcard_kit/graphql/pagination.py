"""Relay connections over keyset pagination, as every list of the contract is paged.

A cursor is the opaque encoding of a row's keyset position (its sort key and id, e.g.
`(created_at, id)`), so the next page is `WHERE (created_at, id) < (:a, :b)` and stays
correct while rows are added, unlike an offset. A resolver reads a page in three steps:

    page = page_request(first, after, default=20, key=(datetime, UUID))
    rows = await notes.list(customer_id, after=page.after, limit=page.limit)
    return page.connection(rows, node=Note.from_record, key=lambda n: (n.created_at, n.id),
                           total=lambda: notes.count(customer_id))

`Connection[Note]` prints as `NoteConnection` with edges of `NoteEdge`, the contract's
names, so a service needs no connection types of its own.
"""

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any, Final, Generic, TypeAlias, TypeVar
from uuid import UUID

import strawberry

from clientcard_kit.graphql.errors import BadUserInput

MAX_PAGE_SIZE: Final = 200
# Far longer than any key this project sorts by; refusing longer input bounds the work a
# forged cursor can cause.
MAX_CURSOR_LENGTH: Final = 1024
INVALID_CURSOR: Final = "invalid cursor"

CursorValue: TypeAlias = str | int | bool | Decimal | datetime | date | UUID | None
Position: TypeAlias = tuple[Any, ...]
Total: TypeAlias = int | Callable[[], Awaitable[int]]

NodeT = TypeVar("NodeT")
RowT = TypeVar("RowT")

# Each value travels with its type, so that decoding returns what was encoded and a
# cursor of one list cannot pass for a cursor of another with differently typed keys.
_TAGS: Final[dict[type, str]] = {
    str: "s",
    int: "i",
    bool: "b",
    Decimal: "n",
    datetime: "t",
    date: "d",
    UUID: "u",
}
_PARSERS: Final[dict[str, Callable[[str], object]]] = {
    "s": str,
    "i": int,
    "b": lambda text: {"1": True, "0": False}[text],
    "n": Decimal,
    "t": datetime.fromisoformat,
    "d": date.fromisoformat,
    "u": UUID,
}


def _encode_value(value: CursorValue) -> str | None:
    if value is None:
        return None
    tag = _TAGS.get(type(value))
    if tag is None:
        raise TypeError(f"a cursor cannot hold {type(value).__name__} values")
    if isinstance(value, bool):
        return f"b:{int(value)}"
    if isinstance(value, datetime | date):
        return f"{tag}:{value.isoformat()}"
    return f"{tag}:{value}"


def _decode_value(item: object) -> object:
    if item is None:
        return None
    if not isinstance(item, str):
        raise ValueError(item)
    tag, separator, text = item.partition(":")
    if not separator or tag not in _PARSERS:
        raise ValueError(item)
    return _PARSERS[tag](text)


def _matches(position: Position, key: Sequence[type]) -> bool:
    return len(position) == len(key) and all(
        value is None or type(value) is kind for value, kind in zip(position, key, strict=True)
    )


def encode_cursor(*position: CursorValue) -> str:
    """The opaque cursor of a keyset position, e.g. `encode_cursor(created_at, note_id)`."""
    payload = json.dumps([_encode_value(value) for value in position], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, key: Sequence[type] | None = None) -> Position:
    """The position a cursor encodes; with `key`, it must have those types in that order.

    Any cursor this module did not make raises BadUserInput("invalid cursor"). A None
    stands for a null sort key (e.g. no purchase yet) whatever type `key` names.
    """
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise BadUserInput(INVALID_CURSOR)
    try:
        payload = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        items = json.loads(payload)
        if not isinstance(items, list):
            raise ValueError(items)
        position = tuple(_decode_value(item) for item in items)
    except (ValueError, KeyError, ArithmeticError, binascii.Error):
        raise BadUserInput(INVALID_CURSOR) from None
    if key is not None and not _matches(position, key):
        raise BadUserInput(INVALID_CURSOR)
    return position


@strawberry.federation.type(
    shareable=True,
    description="Where a page of a connection ends and whether more follow.",
)
class PageInfo:
    # Every subgraph declares this same value type; Federation 2 composes a type whose
    # fields several subgraphs resolve only when each of them marks it @shareable.
    has_next_page: bool
    end_cursor: str | None


def _edge_cursor(root: "Edge[Any]") -> str:
    return root.at if isinstance(root.at, str) else root.at()


@strawberry.type
class Edge(Generic[NodeT]):
    # The cursor's text or how to make it: encoding a position costs more than the rest
    # of an edge, and a card shows pages without asking for their edges' cursors.
    at: strawberry.Private[str | Callable[[], str]]
    cursor: str = strawberry.field(resolver=_edge_cursor)
    node: NodeT = strawberry.field()


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    # The count, or how to count: counting costs a query, run only when totalCount is asked.
    total: strawberry.Private[Total]

    @strawberry.field
    async def total_count(self) -> int:
        if isinstance(self.total, int):
            return self.total
        return await self.total()


@dataclass(frozen=True, slots=True)
class PageRequest:
    """A validated `first`/`after` pair: how many rows and after which position."""

    first: int
    after: Position | None = None

    @property
    def limit(self) -> int:
        """The rows to fetch: one more than asked tells whether a next page exists."""
        return self.first + 1

    def connection(
        self,
        rows: Sequence[RowT],
        *,
        node: Callable[[RowT], NodeT],
        key: Callable[[RowT], tuple[CursorValue, ...]],
        total: Total,
    ) -> Connection[NodeT]:
        """The connection of rows fetched with `limit`, in the order of the keyset."""
        page = rows[: self.first]
        edges = [Edge(at=partial(encode_cursor, *key(row)), node=node(row)) for row in page]
        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(rows) > self.first,
                end_cursor=encode_cursor(*key(page[-1])) if page else None,
            ),
            total=total,
        )


def page_request(
    first: int | None,
    after: str | None,
    *,
    default: int,
    key: Sequence[type] | None = None,
) -> PageRequest:
    """Check a connection field's arguments; `default` is the field's default for `first`.

    `first: null` means the default. Out-of-range sizes and foreign cursors raise
    BadUserInput, so a resolver passes the arguments straight through.
    """
    size = default if first is None else first
    if not 0 <= size <= MAX_PAGE_SIZE:
        raise BadUserInput(f"first must be between 0 and {MAX_PAGE_SIZE}, got {size}")
    return PageRequest(first=size, after=None if after is None else decode_cursor(after, key))
