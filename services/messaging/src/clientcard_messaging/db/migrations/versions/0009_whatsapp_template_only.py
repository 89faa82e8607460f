"""WhatsApp messages that must go as the template whatever this service's clock says.

WhatsApp may accept a text and report later, in a `failed` status with 131047, that the
customer service window had closed. The message is then queued again to go as the
tenant's approved template, and this column keeps it from going as text a second time.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.add_column(
        "messages", sa.Column("template_only", sa.Boolean, nullable=False, server_default="false")
    )


def downgrade() -> None:
    op.drop_column("messages", "template_only")
