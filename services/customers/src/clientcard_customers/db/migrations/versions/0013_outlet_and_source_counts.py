"""Counts of the clients registered at some outlets or by some sources, from an index.

`totalCount` for these filters is an index-only scan of the tenant's range of the outlet
(or source) instead of a pass over every customer.

Revision ID: 0013
"""

from alembic import op

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    op.execute("CREATE INDEX ix_customers_by_outlet ON customers (tenant_id, outlet_id)")
    op.execute("CREATE INDEX ix_customers_by_source ON customers (tenant_id, source)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_customers_by_source")
    op.execute("DROP INDEX ix_customers_by_outlet")
