"""Dynamic segments: a segment with a filter keeps exactly the customers it matches.

`segments.filter` holds the filter (the contract's CustomerFilter as JSON, null for a
manual segment). `dynamic_segment_tenants` names the tenants that have one, without a
row-level policy (it holds no merchant data), so the job that re-checks memberships
against the clock (birthdays) knows whom to visit.

Revision ID: 0010
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.add_column("segments", sa.Column("filter", JSONB))
    op.create_table("dynamic_segment_tenants", sa.Column("tenant_id", sa.Text, primary_key=True))


def downgrade() -> None:
    op.drop_table("dynamic_segment_tenants")
    op.drop_column("segments", "filter")
