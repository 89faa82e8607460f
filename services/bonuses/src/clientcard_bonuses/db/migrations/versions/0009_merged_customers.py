"""Customers merged away, and the survivor each was merged into.

A receipt of the duplicate can reach this service after its merge (the two come on
different topics); it is applied to the survivor's account instead of opening a new
account for a card that no longer exists.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from clientcard_kit.db import migrations

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.create_table(
        "merged_customers",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("duplicate_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("survivor_id", UUID(as_uuid=True), nullable=False),
    )
    migrations.enable_tenant_isolation("merged_customers")


def downgrade() -> None:
    migrations.disable_tenant_isolation("merged_customers")
    op.drop_table("merged_customers")
