"""Messages that send themselves: each tenant's automations and messaging settings (time
zone, quiet hours), the occasions automations write on (one row per tenant, kind,
customer and occasion: at most one message each), the customer facts their texts name
and their runs look for (first name, bonus balance, next expiry, last purchase), the
tenants due a run, and the members a mailing could not reach.

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from clientcard_kit.db import migrations

revision = "0004"
down_revision = "0003"

MONEY = sa.Numeric(14, 2)
TENANT_TABLES = ("messaging_settings", "automations", "automation_occasions")


def _moment(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column("customers", sa.Column("first_name", sa.Text))
    op.add_column("customers", sa.Column("bonus_balance", MONEY))
    op.add_column("customers", _moment("next_expiry_at"))
    op.add_column("customers", sa.Column("next_expiry_amount", MONEY))
    op.add_column(
        "customers", sa.Column("bonuses_version", sa.Integer, nullable=False, server_default="0")
    )
    op.add_column("customers", _moment("last_purchase_at"))
    op.add_column(
        "broadcasts", sa.Column("unreachable", sa.Integer, nullable=False, server_default="0")
    )
    op.create_table(
        "messaging_settings",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("time_zone", sa.Text, nullable=False),
        sa.Column("quiet_hours_start", sa.SmallInteger),
        sa.Column("quiet_hours_end", sa.SmallInteger),
    )
    op.create_table(
        "automations",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, primary_key=True),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("delay_days", sa.Integer),
        sa.Column("channel", sa.Text),
        _moment("updated_at", nullable=False),
    )
    op.create_table(
        "automation_occasions",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, primary_key=True),
        sa.Column(
            "customer_id",
            UUID(as_uuid=True),
            sa.ForeignKey("customers.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("occasion", sa.Text, primary_key=True),
        _moment("due_at", nullable=False),
        sa.Column("outcome", sa.Text),
        sa.Column(
            "message_id", UUID(as_uuid=True), sa.ForeignKey("messages.id", ondelete="SET NULL")
        ),
        _moment("decided_at"),
    )
    op.create_table(
        "automation_queue",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        _moment("due_at", nullable=False),
    )
    _indexes()
    for table in TENANT_TABLES:
        migrations.enable_tenant_isolation(table)


def _indexes() -> None:
    op.execute(
        "CREATE INDEX ix_occasions_due ON automation_occasions (tenant_id, due_at) "
        "WHERE outcome IS NULL"
    )
    op.create_index("ix_occasions_message", "automation_occasions", ["message_id"])
    op.create_index("ix_occasions_customer", "automation_occasions", ["customer_id"])
    op.execute(
        "CREATE INDEX ix_customers_next_expiry ON customers (tenant_id, next_expiry_at) "
        "WHERE next_expiry_at IS NOT NULL"
    )
    op.execute(
        "CREATE INDEX ix_customers_last_purchase ON customers (tenant_id, last_purchase_at) "
        "WHERE last_purchase_at IS NOT NULL"
    )
    op.create_index("ix_automation_queue_due", "automation_queue", ["due_at"])


def downgrade() -> None:
    for table in reversed(TENANT_TABLES):
        migrations.disable_tenant_isolation(table)
    op.drop_table("automation_queue")
    op.drop_table("automation_occasions")
    op.drop_table("automations")
    op.drop_table("messaging_settings")
    op.drop_column("broadcasts", "unreachable")
    for column in (
        "last_purchase_at",
        "bonuses_version",
        "next_expiry_amount",
        "next_expiry_at",
        "bonus_balance",
        "first_name",
    ):
        op.drop_column("customers", column)
