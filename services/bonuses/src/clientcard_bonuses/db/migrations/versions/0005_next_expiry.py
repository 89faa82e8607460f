"""When each account's next open lot burns, kept with its totals and sent in its events.

The customers service lists clients whose bonuses burn within N days from it. Accounts
that exist get it from their open lots, every tenant's at once (the migration runs
outside any tenant, so the policy is lifted for the copy).

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.add_column("bonus_accounts", sa.Column("next_expiry_at", sa.DateTime(timezone=True)))
    op.execute("ALTER TABLE bonus_accounts NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE bonus_lots NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "UPDATE bonus_accounts AS account SET next_expiry_at = ("
        "SELECT min(lot.expires_at) FROM bonus_lots AS lot "
        "WHERE lot.tenant_id = account.tenant_id AND lot.customer_id = account.customer_id "
        "AND lot.remaining > 0)"
    )
    op.execute("ALTER TABLE bonus_lots FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE bonus_accounts FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    op.drop_column("bonus_accounts", "next_expiry_at")
