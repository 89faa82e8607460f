"""The outbox and inbox every service has.

Revision ID: 0001
"""

from clientcard_kit.db import migrations

revision = "0001"
down_revision = None


def upgrade() -> None:
    migrations.create_event_tables()


def downgrade() -> None:
    migrations.drop_event_tables()
