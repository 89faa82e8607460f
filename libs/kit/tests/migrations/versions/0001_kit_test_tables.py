"""Tables for the kit's own tests: the event tables and one tenant table.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

from clientcard_kit.db import migrations

revision = "0001"
down_revision = None


def upgrade() -> None:
    migrations.create_event_tables()
    op.create_table(
        "visits",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    migrations.enable_tenant_isolation("visits")


def downgrade() -> None:
    migrations.disable_tenant_isolation("visits")
    op.drop_table("visits")
    migrations.drop_event_tables()
