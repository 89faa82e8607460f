"""A page of rows for each of many owners (customers), newest first, in one statement.

The card asks for a customer's notes, receipts or messages; `_entities` and lists ask for
many customers' at once, and each gets the first `limit` rows after its own position.
One statement answers them all: rows ranked per owner by (moment, id), newest first.

Building that statement (a window function over a subquery) costs a subgraph more than
running it, so it is built once per shape with bound parameters; `page_parameters` gives
the values of one call.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnElement

OWNERS = "page_owners"
LIMIT = "page_limit"
AFTER_MOMENT = "page_after_moment"
AFTER_ID = "page_after_id"

Position = tuple[datetime, Any]


def newest_first_pages(
    columns: Sequence[sa.Column[Any]],
    owner: sa.Column[Any],
    moment: sa.Column[Any],
    row_id: sa.Column[Any],
    *,
    after: bool,
    where: Sequence[ColumnElement[bool]] = (),
) -> sa.Select[Any]:
    """The statement, rows ordered by owner then newest first; `columns` must hold `owner`.

    `after`: whether the call passes a position to start after. Extra `where` conditions
    carry their own values, so such a statement is built afresh each time.
    """
    if where:
        return _build(tuple(columns), owner, moment, row_id, after, tuple(where))
    return _built_once(tuple(columns), owner, moment, row_id, after)


def page_parameters(
    owner_ids: Iterable[Any], limit: int, after: Position | None
) -> dict[str, object]:
    values: dict[str, object] = {OWNERS: list(owner_ids), LIMIT: limit}
    if after is not None:
        values[AFTER_MOMENT], values[AFTER_ID] = after
    return values


@cache
def _built_once(
    columns: tuple[sa.Column[Any], ...],
    owner: sa.Column[Any],
    moment: sa.Column[Any],
    row_id: sa.Column[Any],
    after: bool,
) -> sa.Select[Any]:
    return _build(columns, owner, moment, row_id, after, ())


def _build(
    columns: tuple[sa.Column[Any], ...],
    owner: sa.Column[Any],
    moment: sa.Column[Any],
    row_id: sa.Column[Any],
    after: bool,
    where: tuple[ColumnElement[bool], ...],
) -> sa.Select[Any]:
    rank = (
        sa.func.row_number()
        .over(partition_by=owner, order_by=(moment.desc(), row_id.desc()))
        .label("page_rank")
    )
    owners = sa.bindparam(OWNERS, type_=ARRAY(owner.type))
    ranked = sa.select(*columns, rank).where(owner == sa.any_(owners), *where)
    if after:
        position = sa.tuple_(
            sa.bindparam(AFTER_MOMENT, type_=moment.type), sa.bindparam(AFTER_ID, type_=row_id.type)
        )
        ranked = ranked.where(sa.tuple_(moment, row_id) < position)
    page = ranked.subquery()
    return (
        sa.select(*(page.c[column.name] for column in columns))
        .where(page.c.page_rank <= sa.bindparam(LIMIT))
        .order_by(page.c[owner.name], page.c.page_rank)
    )
