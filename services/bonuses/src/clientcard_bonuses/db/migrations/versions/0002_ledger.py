"""Loyalty programs, bonus accounts, lots, the ledger of operations, receipts applied.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from clientcard_kit.db import migrations

revision = "0002"
down_revision = "0001"

MONEY = sa.Numeric(14, 2)
PERCENT = sa.Numeric(5, 2)
TENANT_TABLES = (
    "loyalty_programs",
    "bonus_accounts",
    "bonus_lots",
    "bonus_operations",
    "receipt_bonuses",
)
ACCOUNT = ("bonus_accounts.tenant_id", "bonus_accounts.customer_id")


def upgrade() -> None:
    _programs()
    _accounts()
    _lots()
    _operations()
    _receipts()
    op.create_table("bonus_tenants", sa.Column("tenant_id", sa.Text, primary_key=True))
    for table in TENANT_TABLES:
        migrations.enable_tenant_isolation(table)


def downgrade() -> None:
    for table in reversed(TENANT_TABLES):
        migrations.disable_tenant_isolation(table)
    op.drop_table("bonus_tenants")
    op.drop_table("receipt_bonuses")
    op.execute("DROP TRIGGER IF EXISTS bonus_operations_append_only ON bonus_operations")
    op.execute("DROP FUNCTION IF EXISTS bonus_operations_refuse_update()")
    op.drop_table("bonus_operations")
    op.drop_table("bonus_lots")
    op.drop_table("bonus_accounts")
    op.drop_table("loyalty_programs")


def _programs() -> None:
    op.create_table(
        "loyalty_programs",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("accrual_percent", PERCENT, nullable=False),
        sa.Column("max_redeem_percent", PERCENT, nullable=False),
        sa.Column("expiry_days", sa.Integer),
        sa.Column("welcome_bonus", MONEY, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False),
        sa.CheckConstraint("accrual_percent BETWEEN 0 AND 100", name="ck_program_accrual"),
        sa.CheckConstraint("max_redeem_percent BETWEEN 0 AND 100", name="ck_program_redeem"),
        sa.CheckConstraint("expiry_days IS NULL OR expiry_days > 0", name="ck_program_expiry"),
        sa.CheckConstraint("welcome_bonus >= 0", name="ck_program_welcome"),
    )


def _accounts() -> None:
    op.create_table(
        "bonus_accounts",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("customer_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("balance", MONEY, nullable=False, server_default="0"),
        sa.Column("accrued", MONEY, nullable=False, server_default="0"),
        sa.Column("spent", MONEY, nullable=False, server_default="0"),
        sa.Column("expired", MONEY, nullable=False, server_default="0"),
        sa.Column("purchases", sa.Integer, nullable=False, server_default="0"),
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("welcomed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        # The database refuses an overdraft and totals that disagree, whatever the code does.
        sa.CheckConstraint("balance >= 0", name="ck_account_not_negative"),
        sa.CheckConstraint("balance = accrued - spent - expired", name="ck_account_totals"),
    )


def _lots() -> None:
    op.create_table(
        "bonus_lots",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
        sa.Column("seq", sa.BigInteger, sa.Identity(always=True), nullable=False),
        sa.Column("accrued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True)),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("remaining", MONEY, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "customer_id"], ACCOUNT, ondelete="CASCADE"),
        sa.CheckConstraint("amount > 0", name="ck_lot_amount"),
        sa.CheckConstraint("remaining BETWEEN 0 AND amount", name="ck_lot_remaining"),
    )
    # Oldest first, as write-offs take them; it also serves the erasure's cascade.
    op.create_index(
        "ix_bonus_lots_by_age", "bonus_lots", ["tenant_id", "customer_id", "accrued_at", "seq"]
    )
    op.execute(
        "CREATE INDEX ix_bonus_lots_expiring ON bonus_lots (tenant_id, expires_at) "
        "WHERE remaining > 0 AND expires_at IS NOT NULL"
    )


def _operations() -> None:
    op.create_table(
        "bonus_operations",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("event", sa.Text, nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("balance_after", MONEY, nullable=False),
        sa.Column("receipt_id", UUID(as_uuid=True)),
        sa.Column("comment", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("expires_at", sa.DateTime(timezone=True)),
        sa.ForeignKeyConstraint(["tenant_id", "customer_id"], ACCOUNT, ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "customer_id", "number", name="uq_operation_number"),
        sa.CheckConstraint("amount > 0", name="ck_operation_amount"),
        sa.CheckConstraint("balance_after >= 0", name="ck_operation_balance"),
    )
    op.create_index(
        "ix_bonus_operations_by_type",
        "bonus_operations",
        ["tenant_id", "customer_id", "type", "number"],
    )
    # The ledger is append-only: a line is never changed (erasure deletes the whole account).
    op.execute(
        "CREATE FUNCTION bonus_operations_refuse_update() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'the bonus ledger is append-only'; END $$"
    )
    op.execute(
        "CREATE TRIGGER bonus_operations_append_only BEFORE UPDATE ON bonus_operations "
        "FOR EACH ROW EXECUTE FUNCTION bonus_operations_refuse_update()"
    )


def _receipts() -> None:
    op.create_table(
        "receipt_bonuses",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("receipt_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("original_receipt_id", UUID(as_uuid=True)),
        sa.Column("requested_spent", MONEY, nullable=False),
        sa.Column("spent", MONEY, nullable=False),
        sa.Column("accrued", MONEY, nullable=False),
        sa.Column("accrual_reversed", MONEY, nullable=False),
        sa.Column("spent_refunded", MONEY, nullable=False),
        sa.Column("rejection", sa.Text),
        sa.Column("rejection_message", sa.Text),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "customer_id"], ACCOUNT, ondelete="CASCADE"),
    )
    op.create_index("ix_receipt_bonuses_customer", "receipt_bonuses", ["tenant_id", "customer_id"])
