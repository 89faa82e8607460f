"""Customers merged away, and the survivor each was merged into.

A receipt of the duplicate can reach this service after its merge (the two come on
different topics); it is applied to the survivor's account instead of opening a new
account for a card that no longer exists.

Revision ID: 0009
"""

from clientcard_kit.db import migrations

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    migrations.create_merged_customers()


def downgrade() -> None:
    migrations.drop_merged_customers()
