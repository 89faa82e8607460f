"""Each customer's loyalty tier, from the bonuses service's BonusTierChanged events.

`tier_version` (the event's version) orders them; the list's `tierIds` filter reads
the tier through its index, which holds only customers in a tier.

Revision ID: 0019
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0019"
down_revision = "0018"


def upgrade() -> None:
    op.add_column("customers", sa.Column("tier_id", UUID(as_uuid=True)))
    op.add_column(
        "customers", sa.Column("tier_version", sa.Integer, nullable=False, server_default="0")
    )
    op.execute(
        "CREATE INDEX ix_customers_tier ON customers (tenant_id, tier_id) WHERE tier_id IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_customers_tier")
    op.drop_column("customers", "tier_version")
    op.drop_column("customers", "tier_id")
