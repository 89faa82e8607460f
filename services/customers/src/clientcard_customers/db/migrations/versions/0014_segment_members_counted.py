"""Members of some segments counted from an index alone.

Row-level security checks each membership row's tenant: with `tenant_id` carried in the
index of memberships by segment, a count of the customers in some segments (the list's
`notInSegmentIds` subtracts it) reads only the index instead of every row.

Revision ID: 0014
"""

from alembic import op

revision = "0014"
down_revision = "0013"


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_customer_segments_by_segment ON customer_segments "
        "(segment_id, customer_id) INCLUDE (tenant_id)"
    )
    op.execute("DROP INDEX ix_customer_segments_segment")


def downgrade() -> None:
    op.execute(
        "CREATE INDEX ix_customer_segments_segment ON customer_segments (segment_id, customer_id)"
    )
    op.execute("DROP INDEX ix_customer_segments_by_segment")
