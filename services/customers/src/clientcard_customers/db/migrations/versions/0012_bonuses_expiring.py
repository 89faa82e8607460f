"""When each customer's next bonuses burn, from the bonuses service's events.

It travels with the balance (`bonus_balance_version` orders both), and the list's
`bonusesExpiringWithinDays` reads it through its index.

Revision ID: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    op.add_column("customers", sa.Column("bonuses_expiring_at", sa.DateTime(timezone=True)))
    op.execute(
        "CREATE INDEX ix_customers_bonuses_expiring ON customers (tenant_id, bonuses_expiring_at) "
        "WHERE bonuses_expiring_at IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_customers_bonuses_expiring")
    op.drop_column("customers", "bonuses_expiring_at")
