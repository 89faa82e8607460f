"""The client list ordered by average check and by the last NPS score, page by page.

Each order walks an index `(tenant_id, <sort value>, id)` as the others do (migration
0001); a customer who never answered sorts as a score of -1, the expression
`db.client_list.SORT_COLUMNS` uses.

Revision ID: 0009
"""

from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_customers_by_average_check ON customers (tenant_id, average_check, id)"
    )
    op.execute(
        "CREATE INDEX ix_customers_by_last_nps_score "
        "ON customers (tenant_id, (coalesce(last_nps_score, -1)), id)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_customers_by_last_nps_score")
    op.execute("DROP INDEX ix_customers_by_average_check")
