"""How much of each account burns at its next expiry, kept with its totals and sent in its
events (messaging's reminder before bonuses burn names the amount).

Accounts that exist get it from their open lots, every tenant's at once (the migration runs
outside any tenant, so the policy is lifted for the copy).

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.add_column("bonus_accounts", sa.Column("next_expiry_amount", sa.Numeric(14, 2)))
    op.execute("ALTER TABLE bonus_accounts NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE bonus_lots NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "UPDATE bonus_accounts AS account SET next_expiry_amount = ("
        "SELECT sum(lot.remaining) FROM bonus_lots AS lot "
        "WHERE lot.tenant_id = account.tenant_id AND lot.customer_id = account.customer_id "
        "AND lot.remaining > 0 AND lot.expires_at = account.next_expiry_at) "
        "WHERE account.next_expiry_at IS NOT NULL"
    )
    op.execute("ALTER TABLE bonus_lots FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE bonus_accounts FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    op.drop_column("bonus_accounts", "next_expiry_amount")
