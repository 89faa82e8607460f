"""Each outbox row keeps the trace context of the change it announces.

The relay sends it with the event as the CloudEvents distributed-tracing extension, so a
consumer's handling joins the trace of the request or event that caused it.

Revision ID: 0018
"""

from clientcard_kit.db import migrations

revision = "0018"
down_revision = "0017"


def upgrade() -> None:
    migrations.keep_trace_context_in_outbox()


def downgrade() -> None:
    migrations.drop_outbox_trace_context()
