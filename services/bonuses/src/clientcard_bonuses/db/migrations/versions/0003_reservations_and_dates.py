"""Reservations of bonuses by tills; operations dated by the purchase and by the ledger.

`bonus_accounts.reserved` is what HELD reservations set aside (never more than the
balance); `bonus_operations.recorded_at` is when the ledger wrote an operation, while
`occurred_at` stays when it happened for the customer (a receipt's purchasedAt). Older
operations were written when they happened, so both are the same for them.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from clientcard_kit.db import migrations

revision = "0003"
down_revision = "0002"

MONEY = sa.Numeric(14, 2)
ACCOUNT = ("bonus_accounts.tenant_id", "bonus_accounts.customer_id")


def upgrade() -> None:
    op.add_column(
        "bonus_accounts", sa.Column("reserved", MONEY, nullable=False, server_default="0")
    )
    op.create_check_constraint(
        "ck_account_reserved", "bonus_accounts", "reserved >= 0 AND reserved <= balance"
    )
    op.add_column("bonus_operations", sa.Column("recorded_at", sa.DateTime(timezone=True)))
    # The ledger refuses updates; this one fills a new column of old lines, once.
    op.execute("ALTER TABLE bonus_operations DISABLE TRIGGER bonus_operations_append_only")
    op.execute("UPDATE bonus_operations SET recorded_at = occurred_at")
    op.execute("ALTER TABLE bonus_operations ENABLE TRIGGER bonus_operations_append_only")
    op.alter_column(
        "bonus_operations", "recorded_at", nullable=False, server_default=sa.text("now()")
    )
    op.create_table(
        "bonus_reservations",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("receipt_id", UUID(as_uuid=True)),
        sa.Column("receipt_number", sa.Text),
        sa.ForeignKeyConstraint(["tenant_id", "customer_id"], ACCOUNT, ondelete="CASCADE"),
        sa.CheckConstraint("amount > 0", name="ck_reservation_amount"),
        sa.CheckConstraint(
            "status IN ('HELD', 'COMMITTED', 'RELEASED', 'EXPIRED')", name="ck_reservation_status"
        ),
    )
    op.create_index(
        "ix_bonus_reservations_customer", "bonus_reservations", ["tenant_id", "customer_id"]
    )
    # What the expiry job looks for: held reservations by when they end.
    op.execute(
        "CREATE INDEX ix_bonus_reservations_due ON bonus_reservations (tenant_id, expires_at) "
        "WHERE status = 'HELD'"
    )
    migrations.enable_tenant_isolation("bonus_reservations")


def downgrade() -> None:
    migrations.disable_tenant_isolation("bonus_reservations")
    op.drop_table("bonus_reservations")
    op.drop_column("bonus_operations", "recorded_at")
    op.drop_constraint("ck_account_reserved", "bonus_accounts")
    op.drop_column("bonus_accounts", "reserved")
