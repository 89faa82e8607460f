"""Merges of duplicate cards: one row per duplicate, with the services still to move.

`pending` lists the services that have not yet moved the duplicate's records to the
survivor; the merge is finished (and the duplicate erased) when it is empty. A duplicate
is merged once (its id is the key); the survivor index finds merges still under way into
a customer, which may not be merged away until they finish.

Revision ID: 0016
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from clientcard_kit.db import migrations

revision = "0016"
down_revision = "0015"


def upgrade() -> None:
    op.create_table(
        "merges",
        sa.Column("duplicate_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("survivor_id", UUID(as_uuid=True), nullable=False),
        sa.Column("pending", ARRAY(sa.Text), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_merges_survivor", "merges", ["tenant_id", "survivor_id"])
    migrations.enable_tenant_isolation("merges")


def downgrade() -> None:
    migrations.disable_tenant_isolation("merges")
    op.drop_table("merges")
