"""The messaging database: subscriptions, the conversation, mailings, NPS, projections.

`send_queue` and `broadcast_queue` are the cross-tenant work lists the background jobs
claim from (`FOR UPDATE SKIP LOCKED`): they hold only ids and due times, no merchant data,
so unlike every other table they have no row-level security (a job has to see every
tenant's due work before it scopes itself to one tenant).
"""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from clientcard_kit.db.columns import customer_column, id_column, moment, tenant_column

metadata = sa.MetaData()
MONEY = sa.Numeric(14, 2)

# The customers service's customers as messaging needs them: the phone a bot user gives
# to link their chat, and the segments mailings are addressed to. Each part keeps the
# version of the event it came from; `messengers_version` counts this service's own
# changes of the customer's subscriptions (the version of the `messengers` picture).
customers = sa.Table(
    "customers",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("phone", sa.Text),
    sa.Column("profile_version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("segments_version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("messengers_version", sa.Integer, nullable=False, server_default="0"),
    # What automations' texts name and their runs look for (migration 0004): the first
    # name from the profile, the bonus figures of the newest `bonuses_version`, the latest
    # sale.
    sa.Column("first_name", sa.Text),
    sa.Column("bonus_balance", MONEY),
    moment("next_expiry_at"),
    sa.Column("next_expiry_amount", MONEY),
    sa.Column("bonuses_version", sa.Integer, nullable=False, server_default="0"),
    moment("last_purchase_at"),
)

segment_members = sa.Table(
    "segment_members",
    metadata,
    tenant_column(),
    sa.Column("segment_id", UUID(as_uuid=True), primary_key=True),
    sa.Column(
        "customer_id",
        UUID(as_uuid=True),
        sa.ForeignKey("customers.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)

subscriptions = sa.Table(
    "subscriptions",
    metadata,
    tenant_column(),
    customer_column(primary_key=True),
    sa.Column("channel", sa.Text, primary_key=True),
    sa.Column("address", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("is_default", sa.Boolean, nullable=False),
    moment("subscribed_at", nullable=False),
    moment("last_contact_at"),
    sa.Column("messages_delivered", sa.Integer, nullable=False, server_default="0"),
)

broadcasts = sa.Table(
    "broadcasts",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("segment_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
    sa.Column("channel", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    moment("scheduled_at"),
    moment("created_at", nullable=False),
    moment("started_at"),
    moment("finished_at"),
    # Members with no active subscription on any channel when the mailing started.
    sa.Column("unreachable", sa.Integer, nullable=False, server_default="0"),
    # Members whose channel is not configured for the merchant: skipped (migration 0008).
    sa.Column("not_configured", sa.Integer, nullable=False, server_default="0"),
)

messages = sa.Table(
    "messages",
    metadata,
    id_column(),
    tenant_column(),
    customer_column(),
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("direction", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("failure_reason", sa.Text),
    sa.Column("broadcast_id", UUID(as_uuid=True), sa.ForeignKey("broadcasts.id")),
    # SURVEY only: the purchase the survey asks about.
    sa.Column("receipt_id", UUID(as_uuid=True)),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("provider_message_id", sa.Text),
    # What the provider charged and the parts it went in, where it says (SMS; 0007).
    sa.Column("cost", sa.Numeric(12, 4)),
    sa.Column("parts", sa.SmallInteger),
    # WhatsApp only: the window is closed whatever our clock says (WhatsApp reported
    # 131047 after accepting the text): it goes as the template (0009).
    sa.Column("template_only", sa.Boolean, nullable=False, server_default="false"),
    moment("created_at", nullable=False),
    moment("sent_at"),
    moment("delivered_at"),
    moment("read_at"),
    # BROADCAST only: when the customer's first reply within the reply window came.
    moment("replied_at"),
)

send_queue = sa.Table(
    "send_queue",
    metadata,
    sa.Column(
        "message_id",
        UUID(as_uuid=True),
        sa.ForeignKey("messages.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    tenant_column(),
    moment("due_at", nullable=False),
)

broadcast_queue = sa.Table(
    "broadcast_queue",
    metadata,
    sa.Column(
        "broadcast_id",
        UUID(as_uuid=True),
        sa.ForeignKey("broadcasts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    tenant_column(),
    moment("due_at", nullable=False),
)

nps_responses = sa.Table(
    "nps_responses",
    metadata,
    id_column(),
    tenant_column(),
    customer_column(),
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
    moment("responded_at", nullable=False),
    # The answer came without a comment: the customer's next message is taken as it.
    sa.Column("awaiting_comment", sa.Boolean, nullable=False, server_default=sa.false()),
)

sandbox_sent = sa.Table(
    "sandbox_sent",
    metadata,
    sa.Column("message_id", UUID(as_uuid=True), primary_key=True),
    tenant_column(),
    customer_column(),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    moment("sent_at", nullable=False),
)

# A tenant's time zone and quiet hours; no row: Moscow time, no quiet hours.
messaging_settings = sa.Table(
    "messaging_settings",
    metadata,
    tenant_column(primary_key=True),
    sa.Column("time_zone", sa.Text, nullable=False),
    sa.Column("quiet_hours_start", sa.SmallInteger),
    sa.Column("quiet_hours_end", sa.SmallInteger),
)

automations = sa.Table(
    "automations",
    metadata,
    tenant_column(primary_key=True),
    sa.Column("kind", sa.Text, primary_key=True),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("delay_days", sa.Integer),
    sa.Column("channel", sa.Text),
    moment("updated_at", nullable=False),
)

# One row per occasion an automation writes on: its key makes the message at most one.
# `outcome` is null while the occasion waits for `due_at`, then QUEUED (with the
# message), UNREACHABLE (no active subscription on any channel) or NOT_CONFIGURED (its
# channel has no provider for the merchant): `domain.automations.Outcome`.
automation_occasions = sa.Table(
    "automation_occasions",
    metadata,
    tenant_column(primary_key=True),
    sa.Column("kind", sa.Text, primary_key=True),
    sa.Column(
        "customer_id",
        UUID(as_uuid=True),
        sa.ForeignKey("customers.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("occasion", sa.Text, primary_key=True),
    moment("due_at", nullable=False),
    sa.Column("outcome", sa.Text),
    sa.Column("message_id", UUID(as_uuid=True), sa.ForeignKey("messages.id", ondelete="SET NULL")),
    moment("decided_at"),
)

# The tenants with automations and when each is next due a run: a cross-tenant work list
# like the send queue (ids and times only, no row-level security).
automation_queue = sa.Table(
    "automation_queue",
    metadata,
    tenant_column(primary_key=True),
    moment("due_at", nullable=False),
)

TENANT_TABLES = (
    "customers",
    "segment_members",
    "subscriptions",
    "broadcasts",
    "messages",
    "nps_responses",
    "sandbox_sent",
    "messaging_settings",
    "automations",
    "automation_occasions",
)
