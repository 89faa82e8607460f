"""Writing a batch's rows in one statement, as one array per column.

A batch of receipts writes hundreds of rows to a table. Sent as `executemany`, every row
costs a round of the driver; sent as one array per column and spread by `unnest`, a batch
costs one statement, whose text is the same whatever the number of rows (so psycopg
prepares it once). The arrays' PostgreSQL types come from the table's SQLAlchemy columns:
the schema is stated once, in the service's `db/tables.py`.

Each array travels as the text of a PostgreSQL array literal (`{"…","…"}`), which the
statement casts to the column's array type. Handed a Python list, psycopg adapts every
element in Python (about 10 µs each: a batch of 500 receipts' ledger rows took more CPU
to adapt than to apply); the literal is joined at C speed, every element quoted, so any
text — quotes, backslashes, braces, the word NULL — reads back as it was.
"""

import functools
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
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
) -> dict[str, str | list[Any]]:
    """The parameters of `unnest`: each column's values in the rows' order, as an array
    literal (a JSON column's documents as text, which PostgreSQL reads as JSON)."""
    params: dict[str, str | list[Any]] = {}
    for name in names:
        values = [row[name] for row in rows]
        if _is_json(table.c[name]):
            values = [None if value is None else json.dumps(value) for value in values]
        literal = array_literal(values)
        # A value of another kind (bytes, a nested list) is left to the driver.
        params[name] = values if literal is None else literal
    return params


def _text(value: Any) -> str | None:
    """A value as PostgreSQL's input of its column reads it; None for kinds not written here."""
    if isinstance(value, str):
        return str.__str__(value)  # the text itself, an Enum's value for a str Enum too
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)  # the number, an IntEnum's too
    if isinstance(value, uuid.UUID | Decimal | date):  # date: datetimes too, with their zone
        return str(value)
    if isinstance(value, Enum):
        return value.name  # as psycopg writes an Enum
    return None


def array_literal(values: Sequence[Any]) -> str | None:
    """`{"a","b",NULL}` for the values, or None when one is of a kind not written here."""
    quoted = []
    for value in values:
        if value is None:
            quoted.append("NULL")
            continue
        text = _text(value)
        if text is None:
            return None
        quoted.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(quoted) + "}"


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
