"""Writing a batch's rows in one statement each, whatever their number.

A batch of receipts writes hundreds of lots, operations and account totals. Sent as
`executemany`, every row costs a round of the driver; sent as one array per column and
spread by `unnest`, a batch costs one statement per table.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

# Column -> PostgreSQL type of the arrays each table's rows travel in.
LOT_COLUMNS = {
    "id": "uuid",
    "tenant_id": "text",
    "customer_id": "uuid",
    "accrued_at": "timestamptz",
    "expires_at": "timestamptz",
    "amount": "numeric",
    "remaining": "numeric",
}
OPERATION_COLUMNS = {
    "id": "uuid",
    "tenant_id": "text",
    "customer_id": "uuid",
    "number": "integer",
    "occurred_at": "timestamptz",
    "type": "text",
    "event": "text",
    "amount": "numeric",
    "balance_after": "numeric",
    "receipt_id": "uuid",
    "comment": "text",
    "author": "text",
    "expires_at": "timestamptz",
    "recorded_at": "timestamptz",
}
RECEIPT_COLUMNS = {
    "tenant_id": "text",
    "receipt_id": "uuid",
    "customer_id": "uuid",
    "type": "text",
    "original_receipt_id": "uuid",
    "requested_spent": "numeric",
    "spent": "numeric",
    "accrued": "numeric",
    "accrual_reversed": "numeric",
    "spent_refunded": "numeric",
    "rejection": "text",
    "rejection_message": "text",
    "applied_at": "timestamptz",
}


def _arrays(columns: Mapping[str, str]) -> str:
    return ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in columns.items())


def _params(columns: Mapping[str, str], rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {name: [row[name] for row in rows] for name in columns}


async def insert_rows(
    session: AsyncSession, table: str, columns: Mapping[str, str], rows: Sequence[Mapping[str, Any]]
) -> None:
    if not rows:
        return
    statement = (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({_arrays(columns)})"
    )
    await session.execute(sa.text(statement), _params(columns, rows))


async def update_rows(
    session: AsyncSession,
    table: str,
    key: str,
    columns: Mapping[str, str],
    rows: Sequence[Mapping[str, Any]],
    **fixed: Any,
) -> None:
    """Set `columns` (besides `key`, which matches the rows) and `fixed` values per row."""
    if not rows:
        return
    changed = [name for name in columns if name != key]
    assignments = [f"{name} = given.{name}" for name in changed]
    assignments += [f"{name} = :fixed_{name}" for name in fixed]
    statement = (
        f"UPDATE {table} SET {', '.join(assignments)} "
        f"FROM unnest({_arrays(columns)}) AS given ({', '.join(columns)}) "
        f"WHERE {table}.{key} = given.{key}"
    )
    params = _params(columns, rows) | {f"fixed_{name}": value for name, value in fixed.items()}
    await session.execute(sa.text(statement), params)
