"""Customers, segments, notes and the read model of figures; the event tables.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from clientcard_kit.db import migrations

revision = "0001"
down_revision = None

MONEY = sa.Numeric(14, 2)
TENANT_TABLES = ("customers", "segments", "customer_segments", "notes")


def upgrade() -> None:
    migrations.create_event_tables()
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    _customers()
    _segments()
    _notes()
    for table in TENANT_TABLES:
        migrations.enable_tenant_isolation(table)


def downgrade() -> None:
    for table in reversed(TENANT_TABLES):
        migrations.disable_tenant_isolation(table)
    op.drop_table("notes")
    op.drop_table("customer_segments")
    op.drop_table("segments")
    op.drop_table("customers")
    migrations.drop_event_tables()


def _customers() -> None:
    op.create_table(
        "customers",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("phone", sa.Text, nullable=False),
        sa.Column("email", sa.Text),
        sa.Column("first_name", sa.Text),
        sa.Column("last_name", sa.Text),
        sa.Column("name_key", sa.Text, nullable=False, server_default=""),
        sa.Column("birth_date", sa.Date),
        sa.Column("birth_month_day", sa.SmallInteger),
        sa.Column("gender", sa.Text, nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("channel", sa.Text),
        sa.Column("outlet_id", sa.Text),
        sa.Column("questionnaire", JSONB, nullable=False, server_default="[]"),
        sa.Column("search_text", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purchases", sa.Integer, nullable=False, server_default="0"),
        sa.Column("revenue", MONEY, nullable=False, server_default="0"),
        sa.Column("average_check", MONEY, nullable=False, server_default="0"),
        sa.Column("last_purchase_at", sa.DateTime(timezone=True)),
        sa.Column("purchases_version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("bonus_balance", MONEY, nullable=False, server_default="0"),
        sa.Column("bonus_balance_version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("messenger_status", sa.Text),
        sa.Column("default_channel", sa.Text),
        sa.Column("messengers_version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_nps_score", sa.SmallInteger),
        sa.Column("nps_as_of", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("tenant_id", "phone", name="uq_customers_tenant_phone"),
    )
    # One index per order of the list, each ending in id for the keyset.
    for name, column in (
        ("registered_at", "registered_at"),
        ("last_purchase_at", "coalesce(last_purchase_at, '1900-01-01 00:00:00+00'::timestamptz)"),
        ("revenue", "revenue"),
        ("purchases", "purchases"),
        ("bonus_balance", "bonus_balance"),
        ("name", "name_key"),
    ):
        op.execute(f"CREATE INDEX ix_customers_by_{name} ON customers (tenant_id, {column}, id)")
    op.execute("CREATE INDEX ix_customers_search ON customers USING gin (search_text gin_trgm_ops)")
    op.create_index("ix_customers_birthday", "customers", ["tenant_id", "birth_month_day"])


def _segments() -> None:
    op.create_table(
        "segments",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute("CREATE UNIQUE INDEX uq_segments_name ON segments (tenant_id, lower(name))")
    op.create_table(
        "customer_segments",
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column(
            "customer_id",
            UUID(as_uuid=True),
            sa.ForeignKey("customers.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "segment_id",
            UUID(as_uuid=True),
            sa.ForeignKey("segments.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_customer_segments_segment", "customer_segments", ["segment_id", "customer_id"]
    )


def _notes() -> None:
    op.create_table(
        "notes",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column(
            "customer_id",
            UUID(as_uuid=True),
            sa.ForeignKey("customers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute("CREATE INDEX ix_notes_by_customer ON notes (customer_id, created_at DESC, id DESC)")
