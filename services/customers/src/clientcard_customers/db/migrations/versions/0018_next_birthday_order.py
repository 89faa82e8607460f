"""The client list ordered by the next birthday, page by page.

The index of birthdays gains the customer's id as its last key, so each run of the order
(`db.birthday_order`) is a walk of it from the cursor; what it carries for index-only counts
(0004) stays the same.

Revision ID: 0018
"""

from alembic import op

revision = "0018"
down_revision = "0014"

_CARRIED = (
    "gender, messenger_status, default_channel, last_nps_score, registered_at, purchases, "
    "last_purchase_at, revenue_cents, average_check_cents, bonus_balance_cents, audience_cell"
)


def upgrade() -> None:
    op.execute("DROP INDEX ix_customers_birthday")
    op.execute(
        "CREATE INDEX ix_customers_birthday ON customers "
        f"(tenant_id, birth_month_day, id) INCLUDE ({_CARRIED})"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_customers_birthday")
    op.execute(
        "CREATE INDEX ix_customers_birthday ON customers "
        f"(tenant_id, birth_month_day) INCLUDE ({_CARRIED})"
    )
