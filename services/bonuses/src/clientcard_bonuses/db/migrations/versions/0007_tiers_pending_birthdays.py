"""A deeper loyalty program: tiers by spend, pending accrual, the birthday bonus.

- `loyalty_programs`: the new settings (tiers as a JSON list, since they are read and
  written with the program), the tenant's time zone, and where the background run that
  places everyone in the tiers after they changed has got to (`tiers_run_*`).
- `bonus_lots.available_at`: until then a lot is pending (its accrual's operation says it).
- `bonus_accounts`: what is pending and when the next lot frees up, the spend of the last
  365 days, when it next falls, and the tier it reaches; partial indexes for the jobs that
  free pending lots and count the spend again.
- `receipt_bonuses`: a sale's money paid, its purchase moment and what returns gave back
  of it, the spend a window sums (old sales count nothing: they never told the money).
- `customer_birthdays`: each customer's birth month and day (from customers' events), by
  month and day for the daily run; `birthday_bonuses`: one row per customer and year, the
  key that makes the birthday bonus once a year whatever runs it.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from clientcard_kit.db import migrations

revision = "0007"
down_revision = "0006"

MONEY = sa.Numeric(14, 2)
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    _program_settings()
    op.add_column("bonus_lots", sa.Column("available_at", MOMENT))
    op.add_column("bonus_operations", sa.Column("available_at", MOMENT))
    op.add_column("bonus_accounts", sa.Column("pending", MONEY, nullable=False, server_default="0"))
    op.add_column("bonus_accounts", sa.Column("next_available_at", MOMENT))
    op.add_column("bonus_accounts", sa.Column("spend", MONEY, nullable=False, server_default="0"))
    op.add_column("bonus_accounts", sa.Column("spend_review_at", MOMENT))
    op.add_column("bonus_accounts", sa.Column("tier_id", UUID(as_uuid=True)))
    op.add_column(
        "bonus_accounts", sa.Column("tier_version", sa.Integer, nullable=False, server_default="0")
    )
    op.create_check_constraint(
        "ck_account_pending", "bonus_accounts", "pending >= 0 AND pending + reserved <= balance"
    )
    for column in ("next_available_at", "spend_review_at"):
        op.execute(
            f"CREATE INDEX ix_bonus_accounts_{column} ON bonus_accounts (tenant_id, {column}) "
            f"WHERE {column} IS NOT NULL"
        )
    op.add_column("receipt_bonuses", sa.Column("paid", MONEY, nullable=False, server_default="0"))
    op.add_column("receipt_bonuses", sa.Column("purchased_at", MOMENT))
    op.add_column(
        "receipt_bonuses", sa.Column("paid_returned", MONEY, nullable=False, server_default="0")
    )
    op.execute(
        "CREATE INDEX ix_receipt_bonuses_spend ON receipt_bonuses "
        "(tenant_id, customer_id, purchased_at) WHERE type = 'SALE'"
    )
    _birthday_tables()


def _program_settings() -> None:
    columns = (
        sa.Column("pending_days", sa.Integer, nullable=False, server_default="0"),
        sa.Column("tiers", JSONB, nullable=False, server_default="[]"),
        sa.Column("birthday_bonus", MONEY, nullable=False, server_default="0"),
        sa.Column("birthday_days_before", sa.Integer, nullable=False, server_default="0"),
        sa.Column("birthday_bonus_expiry_days", sa.Integer),
        sa.Column("time_zone", sa.Text, nullable=False, server_default="UTC"),
        sa.Column("tiers_run_due", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("tiers_run_after", UUID(as_uuid=True)),
    )
    for column in columns:
        op.add_column("loyalty_programs", column)


def _birthday_tables() -> None:
    op.create_table(
        "customer_birthdays",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("customer_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("month", sa.SmallInteger, nullable=False),
        sa.Column("day", sa.SmallInteger, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index(
        "ix_customer_birthdays_day", "customer_birthdays", ["tenant_id", "month", "day"]
    )
    op.create_table(
        "birthday_bonuses",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("customer_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("year", sa.SmallInteger, primary_key=True),
        sa.Column("accrued_at", MOMENT, nullable=False),
    )
    for table in ("customer_birthdays", "birthday_bonuses"):
        migrations.enable_tenant_isolation(table)


def downgrade() -> None:
    for table in ("birthday_bonuses", "customer_birthdays"):
        migrations.disable_tenant_isolation(table)
        op.drop_table(table)
    op.drop_index("ix_receipt_bonuses_spend", "receipt_bonuses")
    for column in ("paid_returned", "purchased_at", "paid"):
        op.drop_column("receipt_bonuses", column)
    op.drop_constraint("ck_account_pending", "bonus_accounts")
    for column in ("next_available_at", "spend_review_at"):
        op.drop_index(f"ix_bonus_accounts_{column}", "bonus_accounts")
    for column in (
        "tier_version",
        "tier_id",
        "spend_review_at",
        "spend",
        "next_available_at",
        "pending",
    ):
        op.drop_column("bonus_accounts", column)
    op.drop_column("bonus_lots", "available_at")
    op.drop_column("bonus_operations", "available_at")
    for column in (
        "tiers_run_after",
        "tiers_run_due",
        "time_zone",
        "birthday_bonus_expiry_days",
        "birthday_days_before",
        "birthday_bonus",
        "tiers",
        "pending_days",
    ):
        op.drop_column("loyalty_programs", column)
