"""Customers merged away, and the survivor each went to.

A till may keep a duplicate's id after the merchant merged it into another card; a
receipt or a bonus question naming it is the survivor's instead of refused
(`clientcard_kit.db.merged_customers`).

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from clientcard_kit.db import migrations

revision = "0008"
down_revision = "0007"


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
