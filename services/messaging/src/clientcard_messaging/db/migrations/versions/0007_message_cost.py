"""What the provider charged for each message and in how many parts it went (SMS).

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.add_column("messages", sa.Column("cost", sa.Numeric(12, 4)))
    op.add_column("messages", sa.Column("parts", sa.SmallInteger))


def downgrade() -> None:
    op.drop_column("messages", "parts")
    op.drop_column("messages", "cost")
