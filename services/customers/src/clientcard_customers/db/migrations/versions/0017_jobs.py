"""Jobs: long work on a list of customers (bulk actions by filter, exports).

`jobs` holds each job with its progress. `job_members` is the job's audience, fixed when
it starts, numbered in the order it is worked through; `jobs.done_position` is how far
the work went, moved in the same transaction as each batch's effect, so a restart goes
on from there and never applies a customer twice. `applied` marks the members whose
effect another service confirmed (a bonus accrual), each counted once.

`job_leases` is the queue the runners claim from: a job waiting or running, and until
when a runner holds it. It has no row-level policy (runners look across tenants, and it
holds no merchant data), so it is read without a tenant only to find whose job is next.

Revision ID: 0017
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from clientcard_kit.db import migrations

revision = "0017"
down_revision = "0016"


def _moment(name: str, *, nullable: bool = True) -> "sa.Column[Any]":
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("params", JSONB, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("total", sa.Integer),
        sa.Column("processed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("done_position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error", sa.Text),
        _moment("created_at", nullable=False),
        _moment("started_at"),
        _moment("finished_at"),
        sa.Column("download_key", sa.Text),
        sa.Column("download_size", sa.BigInteger),
        _moment("download_expires_at"),
    )
    op.create_index("ix_jobs_newest", "jobs", ["tenant_id", sa.text("created_at DESC"), "id"])
    migrations.enable_tenant_isolation("jobs")
    op.create_table(
        "job_members",
        sa.Column("job_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("customer_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("applied", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_job_members_order", "job_members", ["job_id", "position"], unique=True)
    migrations.enable_tenant_isolation("job_members")
    op.create_table(
        "job_leases",
        sa.Column(
            "job_id",
            UUID(as_uuid=True),
            sa.ForeignKey("jobs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("owner", sa.Text),
        _moment("until", nullable=False),
    )
    op.create_index("ix_job_leases_until", "job_leases", ["until"])


def downgrade() -> None:
    op.drop_table("job_leases")
    migrations.disable_tenant_isolation("job_members")
    op.drop_table("job_members")
    migrations.disable_tenant_isolation("jobs")
    op.drop_table("jobs")
