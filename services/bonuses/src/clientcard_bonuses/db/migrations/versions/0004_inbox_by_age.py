"""The inbox by age, for the job that forgets event ids no redelivery can bring again.

Revision ID: 0004
"""

from clientcard_kit.db import migrations

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    migrations.index_inbox_by_age()


def downgrade() -> None:
    migrations.drop_inbox_age_index()
