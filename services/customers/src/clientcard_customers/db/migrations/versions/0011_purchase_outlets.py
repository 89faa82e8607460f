"""The outlets each customer has bought at, from the receipts service's events.

A receipt adds its outlet to its customer's set (a return adds nothing new, and nothing
leaves the set: the customer did buy there). The list's `purchasedAtOutletIds` reads it;
the customer's erasure takes the rows with it.

Revision ID: 0011
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from clientcard_kit.db import migrations

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.create_table(
        "customer_outlets",
        sa.Column(
            "customer_id",
            UUID(as_uuid=True),
            sa.ForeignKey("customers.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("outlet_id", sa.Text, primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_customer_outlets_by_outlet",
        "customer_outlets",
        ["tenant_id", "outlet_id", "customer_id"],
    )
    migrations.enable_tenant_isolation("customer_outlets")


def downgrade() -> None:
    migrations.disable_tenant_isolation("customer_outlets")
    op.drop_table("customer_outlets")
