"""Members a mailing skipped because their channel is not configured for the merchant.

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.add_column(
        "broadcasts", sa.Column("not_configured", sa.Integer, nullable=False, server_default="0")
    )


def downgrade() -> None:
    op.drop_column("broadcasts", "not_configured")
