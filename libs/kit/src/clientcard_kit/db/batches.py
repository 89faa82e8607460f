"""Statements of a DataLoader's batch, built once with the batch's ids as a parameter.

SQLAlchemy caches a statement's compiled SQL, but building the statement object itself
(and its cache key) for every call cost the card's loaders as much as running their
queries. A module-level statement with `one_of_batch(column)` in its WHERE clause is built
at import, and each call only passes `batch_ids(ids)`.

The ids travel as one array (`column = ANY(:batch_ids)`), so the SQL text is the same
whatever the batch's size: psycopg then prepares the statement on the server after a few
runs, and PostgreSQL stops planning it afresh each time.
"""

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

BATCH = "batch_ids"


def one_of_batch(column: ColumnElement[Any] | QueryableAttribute[Any]) -> ColumnElement[bool]:
    """`column = ANY(:batch_ids)`, the ids `batch_ids` passes (a table's or a model's column)."""
    return column == sa.any_(sa.bindparam(BATCH, type_=ARRAY(column.type)))


def batch_ids(ids: Iterable[Any]) -> dict[str, object]:
    return {BATCH: list(ids)}


def one_of(column: ColumnElement[Any], ids: Iterable[Any]) -> ColumnElement[bool]:
    """`column = ANY(:ids)` with the ids themselves, for a statement built per call: one
    array parameter, so a long list makes no long query text either."""
    return column == sa.any_(sa.bindparam(None, list(ids), type_=ARRAY(column.type)))


def rows_per_batch_id(column: ColumnElement[Any]) -> "sa.Select[tuple[Any, int]]":
    """How many rows each id of the batch has: `column, count(*)` grouped by `column`,
    for `batch_ids(ids)`; an id without rows is not in the result."""
    return sa.select(column, sa.func.count()).where(one_of_batch(column)).group_by(column)
