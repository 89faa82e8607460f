"""Receipts that wait for a customer named by id, and the bonus reservation a sale spends.

A receipt naming a customer id that neither this service nor the customers service knows
yet (the customers service unreachable, say) is kept with `waiting_customer_id` until
that customer's registration arrives, as receipts naming an unknown phone already are.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.add_column("receipts", sa.Column("waiting_customer_id", UUID(as_uuid=True)))
    op.add_column("receipts", sa.Column("bonus_reservation_id", UUID(as_uuid=True)))
    op.execute(
        "CREATE INDEX ix_receipts_waiting_customer "
        "ON receipts (tenant_id, waiting_customer_id) WHERE waiting_customer_id IS NOT NULL"
    )
    # What the job that gives up on waiting looks for: the oldest waiting receipts.
    op.execute(
        "CREATE INDEX ix_receipts_waiting_since "
        "ON receipts (registered_at) WHERE waiting_customer_id IS NOT NULL"
    )
    # Tenant ids only, no merchant data, hence no row-level security: the job that gives
    # up on waiting receipts visits these tenants inside each one's scope.
    op.create_table("waiting_tenants", sa.Column("tenant_id", sa.Text, primary_key=True))


def downgrade() -> None:
    op.drop_table("waiting_tenants")
    op.drop_index("ix_receipts_waiting_since", "receipts")
    op.drop_index("ix_receipts_waiting_customer", "receipts")
    op.drop_column("receipts", "bonus_reservation_id")
    op.drop_column("receipts", "waiting_customer_id")
