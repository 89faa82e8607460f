"""The columns every service's tables have, declared one way.

Each row carries its tenant (row-level security reads it), most have a UUID key, many a
customer, and every moment is stored with its time zone. The tables of `db/tables.py`
mirror the migrations for SQLAlchemy; these give the common columns one spelling.
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID


def id_column() -> "sa.Column[Any]":
    return sa.Column("id", UUID(as_uuid=True), primary_key=True)


def tenant_column(*, primary_key: bool = False) -> "sa.Column[Any]":
    return sa.Column("tenant_id", sa.Text, nullable=False, primary_key=primary_key)


def customer_column(*, nullable: bool = False, primary_key: bool = False) -> "sa.Column[Any]":
    return sa.Column("customer_id", UUID(as_uuid=True), nullable=nullable, primary_key=primary_key)


def moment(name: str, *, nullable: bool = True) -> "sa.Column[Any]":
    """A point in time, with its time zone."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)
