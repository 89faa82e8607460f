"""Customers merged away, and the survivor each went to.

A till may keep a duplicate's id after the merchant merged it into another card; a
receipt or a bonus question naming it is the survivor's instead of refused
(`clientcard_kit.db.merged_customers`).

Revision ID: 0008
"""

from clientcard_kit.db import migrations

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    migrations.create_merged_customers()


def downgrade() -> None:
    migrations.drop_merged_customers()
