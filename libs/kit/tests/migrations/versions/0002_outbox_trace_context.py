"""The outbox's trace context, as every service's migrations add it.

Revision ID: 0002
"""

from clientcard_kit.db import migrations

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    migrations.keep_trace_context_in_outbox()


def downgrade() -> None:
    migrations.drop_outbox_trace_context()
