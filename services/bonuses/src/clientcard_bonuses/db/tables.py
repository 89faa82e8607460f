"""The bonuses database: loyalty programs, accounts, lots, the ledger, receipts applied."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from clientcard_kit.db.columns import customer_column, id_column, moment, tenant_column
from clientcard_kit.db.merged_customers import merged_customers_table

metadata = sa.MetaData()

MONEY = sa.Numeric(14, 2)
PERCENT = sa.Numeric(5, 2)
UUID_ARRAY = ARRAY(UUID(as_uuid=True))

loyalty_programs = sa.Table(
    "loyalty_programs",
    metadata,
    tenant_column(primary_key=True),
    sa.Column("accrual_percent", PERCENT, nullable=False),
    sa.Column("max_redeem_percent", PERCENT, nullable=False),
    sa.Column("expiry_days", sa.Integer),
    sa.Column("welcome_bonus", MONEY, nullable=False),
    # Tiers, pending accrual and the birthday bonus (migration 0007): `tiers` is a list of
    # {id, name, minSpend, accrualPercent}, lowest first.
    sa.Column("pending_days", sa.Integer, nullable=False, server_default="0"),
    sa.Column("tiers", JSONB, nullable=False, server_default="[]"),
    sa.Column("birthday_bonus", MONEY, nullable=False, server_default="0"),
    sa.Column("birthday_days_before", sa.Integer, nullable=False, server_default="0"),
    sa.Column("birthday_bonus_expiry_days", sa.Integer),
    sa.Column("time_zone", sa.Text, nullable=False, server_default="UTC"),
    # The background run placing every account in the tiers after they changed: due, and
    # the last account it placed (accounts are taken in the order of their ids).
    sa.Column("tiers_run_due", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("tiers_run_after", UUID(as_uuid=True)),
    moment("updated_at", nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
)

bonus_accounts = sa.Table(
    "bonus_accounts",
    metadata,
    tenant_column(primary_key=True),
    customer_column(primary_key=True),
    sa.Column("balance", MONEY, nullable=False, server_default="0"),
    sa.Column("accrued", MONEY, nullable=False, server_default="0"),
    sa.Column("spent", MONEY, nullable=False, server_default="0"),
    sa.Column("expired", MONEY, nullable=False, server_default="0"),
    sa.Column("purchases", sa.Integer, nullable=False, server_default="0"),
    # The number of operations in the account's ledger, the version events carry.
    sa.Column("version", sa.Integer, nullable=False, server_default="0"),
    # Set aside by HELD reservations; never more than the balance.
    sa.Column("reserved", MONEY, nullable=False, server_default="0"),
    # When the next open lot burns (migration 0005); null when none will.
    moment("next_expiry_at"),
    # How much burns at next_expiry_at (migration 0006).
    sa.Column("next_expiry_amount", MONEY),
    # Pending (not spendable yet) and when the next pending lot frees up (migration 0007).
    sa.Column("pending", MONEY, nullable=False, server_default="0"),
    moment("next_available_at"),
    # Money paid over the last 365 days, when a sale next leaves that window, the tier.
    sa.Column("spend", MONEY, nullable=False, server_default="0"),
    moment("spend_review_at"),
    sa.Column("tier_id", UUID(as_uuid=True)),
    sa.Column("tier_version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("welcomed", sa.Boolean, nullable=False, server_default=sa.false()),
    moment("created_at", nullable=False),
    moment("updated_at", nullable=False),
)

_ACCOUNT = ("bonus_accounts.tenant_id", "bonus_accounts.customer_id")

bonus_lots = sa.Table(
    "bonus_lots",
    metadata,
    id_column(),
    tenant_column(),
    customer_column(),
    sa.Column("seq", sa.BigInteger, sa.Identity(always=True), nullable=False),
    moment("accrued_at", nullable=False),
    moment("expires_at"),
    sa.Column("amount", MONEY, nullable=False),
    sa.Column("remaining", MONEY, nullable=False),
    moment("available_at"),
    sa.ForeignKeyConstraint(["tenant_id", "customer_id"], _ACCOUNT, ondelete="CASCADE"),
)

bonus_operations = sa.Table(
    "bonus_operations",
    metadata,
    id_column(),
    tenant_column(),
    customer_column(),
    sa.Column("number", sa.Integer, nullable=False),
    moment("occurred_at", nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("event", sa.Text, nullable=False),
    sa.Column("amount", MONEY, nullable=False),
    sa.Column("balance_after", MONEY, nullable=False),
    sa.Column("receipt_id", UUID(as_uuid=True)),
    sa.Column("comment", sa.Text),
    sa.Column("author", sa.Text),
    moment("expires_at"),
    # occurred_at is when it happened for the customer; recorded_at when it was written.
    sa.Column(
        "recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    # An accrual's: until then its bonuses are pending (migration 0007).
    moment("available_at"),
    sa.ForeignKeyConstraint(["tenant_id", "customer_id"], _ACCOUNT, ondelete="CASCADE"),
)

bonus_reservations = sa.Table(
    "bonus_reservations",
    metadata,
    tenant_column(primary_key=True),
    id_column(),
    customer_column(),
    sa.Column("amount", MONEY, nullable=False),
    sa.Column("total", MONEY, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    moment("created_at", nullable=False),
    moment("expires_at", nullable=False),
    moment("finished_at"),
    sa.Column("receipt_id", UUID(as_uuid=True)),
    sa.Column("receipt_number", sa.Text),
    sa.ForeignKeyConstraint(["tenant_id", "customer_id"], _ACCOUNT, ondelete="CASCADE"),
)

receipt_bonuses = sa.Table(
    "receipt_bonuses",
    metadata,
    tenant_column(primary_key=True),
    sa.Column("receipt_id", UUID(as_uuid=True), primary_key=True),
    customer_column(),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("original_receipt_id", UUID(as_uuid=True)),
    sa.Column("requested_spent", MONEY, nullable=False),
    sa.Column("spent", MONEY, nullable=False),
    sa.Column("accrued", MONEY, nullable=False),
    # A SALE: everything its returns took back and gave back; a RETURN: its own part.
    sa.Column("accrual_reversed", MONEY, nullable=False),
    sa.Column("spent_refunded", MONEY, nullable=False),
    sa.Column("rejection", sa.Text),
    sa.Column("rejection_message", sa.Text),
    moment("applied_at", nullable=False),
    # A SALE's money, its purchase and what its returns gave back of the money (0007).
    sa.Column("paid", MONEY, nullable=False, server_default="0"),
    moment("purchased_at"),
    sa.Column("paid_returned", MONEY, nullable=False, server_default="0"),
    sa.ForeignKeyConstraint(["tenant_id", "customer_id"], _ACCOUNT, ondelete="CASCADE"),
)

# Tenant ids only, no merchant data, hence no row-level security: the expiry job reads it
# to visit each tenant's lots inside that tenant's scope.
bonus_tenants = sa.Table(
    "bonus_tenants",
    metadata,
    tenant_column(primary_key=True),
)

# Birth month and day of each customer, kept from customers' events (migration 0007).
customer_birthdays = sa.Table(
    "customer_birthdays",
    metadata,
    tenant_column(primary_key=True),
    customer_column(primary_key=True),
    sa.Column("month", sa.SmallInteger, nullable=False),
    sa.Column("day", sa.SmallInteger, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)

# The birthday bonus of each customer and year: its key makes it once a year.
birthday_bonuses = sa.Table(
    "birthday_bonuses",
    metadata,
    tenant_column(primary_key=True),
    customer_column(primary_key=True),
    sa.Column("year", sa.SmallInteger, primary_key=True),
    moment("accrued_at", nullable=False),
)

TENANT_TABLES = (
    "loyalty_programs",
    "bonus_accounts",
    "bonus_lots",
    "bonus_operations",
    "receipt_bonuses",
    "bonus_reservations",
    "customer_birthdays",
    "birthday_bonuses",
    "merged_customers",
)

# Customers merged away and their survivors (migration 0009): a late receipt of a
# duplicate is applied to the survivor.
merged_customers = merged_customers_table(metadata)
