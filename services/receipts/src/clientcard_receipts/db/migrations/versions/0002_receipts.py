"""Receipts, POS API keys, purchase statistics and the projection of customers' phones.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from clientcard_kit.db import migrations

revision = "0002"
down_revision = "0001"

MONEY = sa.Numeric(14, 2)
SHARE = sa.Numeric(7, 6)
TENANT_TABLES = ("receipts", "known_customers", "purchase_stats", "pos_api_keys")


def upgrade() -> None:
    _receipts()
    _known_customers()
    _purchase_stats()
    _pos_api_keys()
    for table in TENANT_TABLES:
        migrations.enable_tenant_isolation(table)


def downgrade() -> None:
    for table in reversed(TENANT_TABLES):
        migrations.disable_tenant_isolation(table)
    for table in reversed(TENANT_TABLES):
        op.drop_table(table)


def _receipts() -> None:
    op.create_table(
        "receipts",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("pos_id", sa.Text, nullable=False),
        sa.Column("outlet_id", sa.Text, nullable=False),
        sa.Column("number", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("original_receipt_id", UUID(as_uuid=True), sa.ForeignKey("receipts.id")),
        sa.Column("purchased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("items", JSONB, nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("paid", MONEY, nullable=False),
        sa.Column("bonuses_spent", MONEY, nullable=False),
        sa.Column("customer_id", UUID(as_uuid=True)),
        sa.Column("waiting_phone", sa.Text),
        sa.Column("returned_total", MONEY, nullable=False, server_default="0"),
        sa.Column("returned_share", SHARE),
        sa.Column("returned_share_so_far", SHARE),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "pos_id", "number", name="uq_receipts_pos_number"),
    )
    op.execute(
        "CREATE INDEX ix_receipts_by_customer "
        "ON receipts (customer_id, purchased_at DESC, id DESC) WHERE customer_id IS NOT NULL"
    )
    op.execute(
        "CREATE INDEX ix_receipts_waiting_phone "
        "ON receipts (tenant_id, waiting_phone) WHERE waiting_phone IS NOT NULL"
    )


def _known_customers() -> None:
    op.create_table(
        "known_customers",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("phone", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_known_customers_phone", "known_customers", ["tenant_id", "phone"])


def _purchase_stats() -> None:
    op.create_table(
        "purchase_stats",
        sa.Column("customer_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("purchases", sa.Integer, nullable=False),
        sa.Column("returns", sa.Integer, nullable=False),
        sa.Column("revenue", MONEY, nullable=False),
        sa.Column("first_purchase_at", sa.DateTime(timezone=True)),
        sa.Column("last_purchase_at", sa.DateTime(timezone=True)),
    )


def _pos_api_keys() -> None:
    op.create_table(
        "pos_api_keys",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("outlet_id", sa.Text, nullable=False),
        sa.Column("pos_id", sa.Text, nullable=False),
        sa.Column("secret_hash", sa.Text, nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_pos_api_keys_tenant", "pos_api_keys", ["tenant_id", "created_at"])
