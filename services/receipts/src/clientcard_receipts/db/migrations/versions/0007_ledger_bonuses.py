"""Each receipt keeps what the bonuses ledger made of it.

The card shows, with each receipt, the bonuses it accrued and spent. The receipts service
keeps a copy from the ledger's `receipt.bonuses.applied` events, so the gateway reads a
page of receipts with their bonuses from one service instead of asking bonuses again for
every receipt. Zero until the event arrives, as the ledger answers for a receipt it has
not applied.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"

_MONEY = sa.Numeric(14, 2)


def upgrade() -> None:
    op.add_column(
        "receipts", sa.Column("ledger_accrued", _MONEY, nullable=False, server_default="0")
    )
    op.add_column("receipts", sa.Column("ledger_spent", _MONEY, nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("receipts", "ledger_spent")
    op.drop_column("receipts", "ledger_accrued")
