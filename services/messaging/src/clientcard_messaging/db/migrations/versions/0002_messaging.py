"""Subscriptions, the conversation and its send queue, mailings, NPS, projections.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from clientcard_kit.db import migrations

revision = "0002"
down_revision = "0001"

TENANT_TABLES = (
    "customers",
    "segment_members",
    "subscriptions",
    "broadcasts",
    "messages",
    "nps_responses",
    "sandbox_sent",
)
TABLES = (
    "customers",
    "segment_members",
    "subscriptions",
    "broadcasts",
    "messages",
    "send_queue",
    "broadcast_queue",
    "nps_responses",
    "sandbox_sent",
)


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("phone", sa.Text),
        sa.Column("profile_version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("segments_version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("messengers_version", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "segment_members",
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("segment_id", UUID(as_uuid=True), primary_key=True),
        sa.Column(
            "customer_id",
            UUID(as_uuid=True),
            sa.ForeignKey("customers.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_table(
        "subscriptions",
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("customer_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("channel", sa.Text, primary_key=True),
        sa.Column("address", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("is_default", sa.Boolean, nullable=False),
        sa.Column("subscribed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_contact_at", sa.DateTime(timezone=True)),
        sa.Column("messages_delivered", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "broadcasts",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("segment_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
        sa.Column("channel", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "messages",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("direction", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("failure_reason", sa.Text),
        sa.Column("broadcast_id", UUID(as_uuid=True), sa.ForeignKey("broadcasts.id")),
        sa.Column("receipt_id", UUID(as_uuid=True)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("provider_message_id", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.Column("read_at", sa.DateTime(timezone=True)),
        sa.Column("replied_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "send_queue",
        sa.Column(
            "message_id",
            UUID(as_uuid=True),
            sa.ForeignKey("messages.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "broadcast_queue",
        sa.Column(
            "broadcast_id",
            UUID(as_uuid=True),
            sa.ForeignKey("broadcasts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "nps_responses",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
        sa.Column(
            "survey_message_id",
            UUID(as_uuid=True),
            sa.ForeignKey("messages.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("receipt_id", UUID(as_uuid=True)),
        sa.Column("score", sa.SmallInteger, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("awaiting_comment", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "sandbox_sent",
        sa.Column("message_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("customer_id", UUID(as_uuid=True), nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
    _indexes()
    for table in TENANT_TABLES:
        migrations.enable_tenant_isolation(table)


def _indexes() -> None:
    op.create_index("ix_customers_phone", "customers", ["tenant_id", "phone"])
    op.create_index("ix_segment_members_customer", "segment_members", ["customer_id"])
    op.execute(
        "CREATE UNIQUE INDEX uq_subscriptions_active_address ON subscriptions "
        "(tenant_id, channel, address) WHERE status = 'ACTIVE'"
    )
    op.create_index(
        "ix_subscriptions_address", "subscriptions", ["tenant_id", "channel", "address"]
    )
    op.execute(
        "CREATE INDEX ix_messages_conversation ON messages (customer_id, created_at DESC, id DESC)"
    )
    # No status in this index, and room left on the pages: a message changing status is
    # then a HOT update that touches none of its indexes (mailings update thousands a second).
    op.create_index("ix_messages_broadcast", "messages", ["broadcast_id"])
    op.execute("ALTER TABLE messages SET (fillfactor = 80)")
    op.execute("ALTER TABLE subscriptions SET (fillfactor = 80)")
    op.execute(
        "CREATE INDEX ix_messages_provider_id ON messages (tenant_id, provider_message_id) "
        "WHERE provider_message_id IS NOT NULL"
    )
    op.execute("CREATE INDEX ix_messages_kind ON messages (customer_id, kind, created_at DESC)")
    op.create_index("ix_send_queue_due", "send_queue", ["due_at"])
    op.create_index("ix_broadcast_queue_due", "broadcast_queue", ["due_at"])
    op.execute(
        "CREATE INDEX ix_broadcasts_created ON broadcasts (tenant_id, created_at DESC, id DESC)"
    )
    op.execute(
        "CREATE INDEX ix_nps_responses_customer ON nps_responses (customer_id, responded_at DESC)"
    )
    op.create_index("ix_nps_responses_moment", "nps_responses", ["tenant_id", "responded_at"])


def downgrade() -> None:
    for table in reversed(TENANT_TABLES):
        migrations.disable_tenant_isolation(table)
    for table in reversed(TABLES):
        op.drop_table(table)
