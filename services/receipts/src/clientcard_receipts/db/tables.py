"""The receipts database: receipts, the phones of known customers, figures, POS API keys."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from clientcard_kit.db.columns import customer_column, id_column, moment, tenant_column
from clientcard_kit.db.merged_customers import merged_customers_table

metadata = sa.MetaData()

MONEY = sa.Numeric(14, 2)
SHARE = sa.Numeric(7, 6)

receipts = sa.Table(
    "receipts",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("pos_id", sa.Text, nullable=False),
    sa.Column("outlet_id", sa.Text, nullable=False),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("original_receipt_id", UUID(as_uuid=True), sa.ForeignKey("receipts.id")),
    moment("purchased_at", nullable=False),
    # The lines as the POS sent them (decimal strings), read and written as a whole.
    sa.Column("items", JSONB, nullable=False),
    sa.Column("total", MONEY, nullable=False),
    sa.Column("paid", MONEY, nullable=False),
    sa.Column("bonuses_spent", MONEY, nullable=False),
    customer_column(nullable=True),
    sa.Column("waiting_phone", sa.Text),
    sa.Column("waiting_customer_id", UUID(as_uuid=True)),
    sa.Column("bonus_reservation_id", UUID(as_uuid=True)),
    sa.Column("returned_total", MONEY, nullable=False, server_default="0"),
    sa.Column("returned_share", SHARE),
    sa.Column("returned_share_so_far", SHARE),
    moment("registered_at", nullable=False),
    # What the bonuses ledger made of the receipt (its `receipt.bonuses.applied` event),
    # signed as the card shows it: a RETURN's are zero or below.
    sa.Column("ledger_accrued", MONEY, nullable=False, server_default="0"),
    sa.Column("ledger_spent", MONEY, nullable=False, server_default="0"),
    sa.UniqueConstraint("tenant_id", "pos_id", "number", name="uq_receipts_pos_number"),
)

# Tenants that have (or had) receipts waiting for a customer id; no merchant data.
waiting_tenants = sa.Table(
    "waiting_tenants",
    metadata,
    tenant_column(primary_key=True),
)

# The projection of customers.v1 that names by phone resolve against.
known_customers = sa.Table(
    "known_customers",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("phone", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)

purchase_stats = sa.Table(
    "purchase_stats",
    metadata,
    customer_column(primary_key=True),
    tenant_column(),
    # One more with every receipt of the customer, so consumers keep the newest figures.
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("purchases", sa.Integer, nullable=False),
    sa.Column("returns", sa.Integer, nullable=False),
    sa.Column("revenue", MONEY, nullable=False),
    moment("first_purchase_at"),
    moment("last_purchase_at"),
)

pos_api_keys = sa.Table(
    "pos_api_keys",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("outlet_id", sa.Text, nullable=False),
    sa.Column("pos_id", sa.Text, nullable=False),
    sa.Column("secret_hash", sa.Text, nullable=False, unique=True),
    moment("created_at", nullable=False),
    moment("revoked_at"),
)

# Customers merged away and their survivors (migration 0008): a till naming a duplicate's
# id reaches the survivor.
merged_customers = merged_customers_table(metadata)
