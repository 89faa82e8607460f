"""Writing a batch's rows in one statement, as one array per column.

A batch of receipts writes hundreds of rows to a table. Sent as `executemany`, every row
costs a round of the driver; sent as one array per column and spread by `unnest`, a batch
costs one statement, whose text is the same whatever the number of rows (so psycopg
prepares it once). The arrays' PostgreSQL types come from the table's SQLAlchemy columns:
the schema is stated once, in the service's `db/tables.py`.
"""

import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.ext.asyncio import AsyncSession

_DIALECT = PGDialect()  # type: ignore[no-untyped-call]  # (SQLAlchemy leaves it untyped)


def _is_json(column: sa.Column[Any]) -> bool:
    return isinstance(column.type, sa.JSON)


def unnest(table: sa.Table, names: Sequence[str]) -> str:
    """`unnest(CAST(:a AS uuid[]), ...) AS given (a, ...)`: the rows `arrays` gives."""
    arrays = ", ".join(
        f"CAST(:{name} AS {table.c[name].type.compile(dialect=_DIALECT)}[])" for name in names
    )
    return f"unnest({arrays}) AS given ({', '.join(names)})"


def arrays(
    table: sa.Table, names: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> dict[str, list[Any]]:
    """The parameters of `unnest`: each column's values in the rows' order (a JSON
    column's documents as text, which PostgreSQL reads as JSON)."""
    params: dict[str, list[Any]] = {}
    for name in names:
        values = [row[name] for row in rows]
        if _is_json(table.c[name]):
            values = [None if value is None else json.dumps(value) for value in values]
        params[name] = values
    return params


@functools.lru_cache(maxsize=256)
def insert_statement(table: sa.Table, names: Sequence[str], suffix: str = "") -> sa.TextClause:
    """INSERT of rows given as arrays; `suffix` adds what follows (ON CONFLICT, RETURNING)."""
    columns = ", ".join(names)
    return sa.text(
        f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM {unnest(table, names)} "
        f"{suffix}"
    )


@functools.lru_cache(maxsize=256)
def update_statement(
    table: sa.Table, key: str, names: Sequence[str], fixed: Sequence[str] = ()
) -> sa.TextClause:
    """UPDATE of the rows whose `key` the arrays give: their other columns set to the
    given values, each of `fixed` to the parameter `fixed_<name>` (one value for all)."""
    assignments = [f"{name} = given.{name}" for name in names if name != key]
    assignments += [f"{name} = :fixed_{name}" for name in fixed]
    return sa.text(
        f"UPDATE {table.name} SET {', '.join(assignments)} FROM {unnest(table, names)} "
        f"WHERE {table.name}.{key} = given.{key}"
    )


async def insert_rows(
    session: AsyncSession, table: sa.Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert the rows (mappings of the same column names) in one statement."""
    if not rows:
        return
    names = tuple(rows[0])
    await session.execute(insert_statement(table, names), arrays(table, names, rows))


async def update_rows(
    session: AsyncSession,
    table: sa.Table,
    key: str,
    rows: Sequence[Mapping[str, Any]],
    **fixed: Any,
) -> None:
    """Set each row's columns (matched on `key`) and the `fixed` values, in one statement."""
    if not rows:
        return
    names = tuple(rows[0])
    params = arrays(table, names, rows) | {f"fixed_{name}": value for name, value in fixed.items()}
    await session.execute(update_statement(table, key, names, tuple(fixed)), params)
