"""The tables of jobs (migration 0017), beside the service's other tables in `metadata`."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from clientcard_customers.db.tables import metadata
from clientcard_kit.db.columns import customer_column, id_column, moment, tenant_column

jobs = sa.Table(
    "jobs",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    # What the job was asked: its filter, segments, amount... (`domain.jobs.JobParams`).
    sa.Column("params", JSONB, nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("total", sa.Integer),
    sa.Column("processed", sa.Integer, nullable=False, server_default="0"),
    sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
    # The position of the last member worked through; moves with each batch's effect.
    sa.Column("done_position", sa.Integer, nullable=False, server_default="0"),
    sa.Column("error", sa.Text),
    moment("created_at", nullable=False),
    moment("started_at"),
    moment("finished_at"),
    # Where an export's file is kept, how big, and until when its link works.
    sa.Column("download_key", sa.Text),
    sa.Column("download_size", sa.BigInteger),
    moment("download_expires_at"),
)

job_members = sa.Table(
    "job_members",
    metadata,
    sa.Column(
        "job_id",
        UUID(as_uuid=True),
        sa.ForeignKey("jobs.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    customer_column(primary_key=True),
    tenant_column(),
    sa.Column("position", sa.Integer, nullable=False),
    # Another service confirmed the member's effect (counted once into `processed`).
    sa.Column("applied", sa.Boolean, nullable=False, server_default=sa.false()),
)

# No row-level policy: the runners' queue across tenants, with no merchant data.
job_leases = sa.Table(
    "job_leases",
    metadata,
    sa.Column(
        "job_id",
        UUID(as_uuid=True),
        sa.ForeignKey("jobs.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    tenant_column(),
    sa.Column("owner", sa.Text),
    moment("until", nullable=False),
)
