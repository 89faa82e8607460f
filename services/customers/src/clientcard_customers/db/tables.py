"""The customers database: profiles with the read model of figures, segments, notes."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from clientcard_kit.db.columns import customer_column, id_column, moment, tenant_column

metadata = sa.MetaData()

# The cell of a customer's gender, messenger status and default channel, which the
# indexes that count the list are keyed by (migration 0004, which has a frozen copy):
# each dimension's known values, outermost first; any other value takes the cell after.
AUDIENCE: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    ("gender", ("FEMALE", "MALE", "UNKNOWN")),
    ("messenger_status", (None, "ACTIVE", "INACTIVE")),
    ("default_channel", (None, "TELEGRAM", "WHATSAPP", "VIBER", "VK", "SMS")),
)


def _audience_cell() -> str:
    """The cell as SQL: each dimension's place among its known values (the place after them
    for any other value), as the digits of one number, the outermost dimension first."""
    cell = "0"
    for column, known in AUDIENCE:
        cases = " ".join(
            f"WHEN {column} IS NULL THEN {index}"
            if value is None
            else f"WHEN {column} = '{value}' THEN {index}"
            for index, value in enumerate(known)
        )
        cell = f"({cell}) * {len(known) + 1} + CASE {cases} ELSE {len(known)} END"
    return cell


MONEY = sa.Numeric(14, 2)

customers = sa.Table(
    "customers",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("phone", sa.Text, nullable=False),
    sa.Column("email", sa.Text),
    sa.Column("first_name", sa.Text),
    sa.Column("last_name", sa.Text),
    # Lower-cased "last first", what NAME ordering sorts by.
    sa.Column("name_key", sa.Text, nullable=False, server_default=""),
    sa.Column("birth_date", sa.Date),
    # month * 100 + day of the birth date, what "birthday within N days" looks up.
    sa.Column("birth_month_day", sa.SmallInteger),
    sa.Column("gender", sa.Text, nullable=False),
    moment("registered_at", nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("channel", sa.Text),
    sa.Column("outlet_id", sa.Text),
    sa.Column("questionnaire", JSONB, nullable=False, server_default="[]"),
    # Names, phone and e-mail in one case-folded text, what the list's search matches; a
    # trigger copies it to `customer_search`, whose trigram index finds a fragment from the
    # middle of a phone or a surname fast. Python folds the case, so Cyrillic matches
    # whatever the database's locale.
    sa.Column("search_text", sa.Text, nullable=False, server_default=""),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    moment("updated_at", nullable=False),
    # The read model: figures owned by other services, kept from their events. Each group
    # remembers the moment of the event it came from, so an older event never wins.
    sa.Column("purchases", sa.Integer, nullable=False, server_default="0"),
    sa.Column("revenue", MONEY, nullable=False, server_default="0"),
    sa.Column("average_check", MONEY, nullable=False, server_default="0"),
    moment("last_purchase_at"),
    sa.Column("purchases_version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("bonus_balance", MONEY, nullable=False, server_default="0"),
    sa.Column("bonus_balance_version", sa.Integer, nullable=False, server_default="0"),
    # When the next bonuses burn (migration 0012), with the balance's version.
    moment("bonuses_expiring_at"),
    # The loyalty tier and its version at the bonuses service (migration 0019).
    sa.Column("tier_id", UUID(as_uuid=True)),
    sa.Column("tier_version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("messenger_status", sa.Text),
    sa.Column("default_channel", sa.Text),
    sa.Column("messengers_version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_nps_score", sa.SmallInteger),
    moment("nps_as_of"),
    # Money in whole cents, what the list's filters compare: under row-level security only
    # a leakproof comparison bounds an index scan, and numeric's are not (migration 0004).
    *(
        sa.Column(
            f"{money}_cents",
            sa.BigInteger,
            sa.Computed(f"(({money} * 100)::bigint)", persisted=True),
            nullable=False,
        )
        for money in ("revenue", "average_check", "bonus_balance")
    ),
    sa.Column(
        "audience_cell",
        sa.SmallInteger,
        sa.Computed(_audience_cell(), persisted=True),
        nullable=False,
    ),
    sa.UniqueConstraint("tenant_id", "phone", name="uq_customers_tenant_phone"),
)

segments = sa.Table(
    "segments",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column("name", sa.Text, nullable=False),
    moment("created_at", nullable=False),
    # Kept by a trigger on customer_segments (migration 0003).
    sa.Column("members", sa.Integer, nullable=False, server_default="0"),
    # A dynamic segment's filter (the contract's CustomerFilter as JSON); null: manual.
    sa.Column("filter", JSONB(none_as_null=True)),
)

# The outlets each customer bought at (migration 0011), from receipts' events.
customer_outlets = sa.Table(
    "customer_outlets",
    metadata,
    sa.Column(
        "customer_id",
        UUID(as_uuid=True),
        sa.ForeignKey("customers.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("outlet_id", sa.Text, primary_key=True),
    tenant_column(),
)

# Tenants with a dynamic segment, for the job that re-checks memberships (migration
# 0010); no merchant data, no row-level policy.
dynamic_segment_tenants = sa.Table(
    "dynamic_segment_tenants",
    metadata,
    tenant_column(primary_key=True),
)

# A tenant's number of customers, kept by triggers on customers (migration 0003).
tenant_customer_counts = sa.Table(
    "tenant_customer_counts",
    metadata,
    tenant_column(primary_key=True),
    sa.Column("customers", sa.BigInteger, nullable=False),
)

customer_segments = sa.Table(
    "customer_segments",
    metadata,
    tenant_column(),
    sa.Column(
        "customer_id",
        UUID(as_uuid=True),
        sa.ForeignKey("customers.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "segment_id",
        UUID(as_uuid=True),
        sa.ForeignKey("segments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    moment("assigned_at", nullable=False),
)

notes = sa.Table(
    "notes",
    metadata,
    id_column(),
    tenant_column(),
    sa.Column(
        "customer_id",
        UUID(as_uuid=True),
        sa.ForeignKey("customers.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    moment("created_at", nullable=False),
    moment("updated_at", nullable=False),
)

TENANT_TABLES = ("customers", "segments", "customer_segments", "notes")

# A copy of `customers.search_text` kept by a trigger (migration 0002) in a table without a
# tenant policy, so its trigram index can serve the search; read it only with the
# transaction's tenant (see `client_list`).
customer_search = sa.Table(
    "customer_search",
    metadata,
    customer_column(primary_key=True),
    tenant_column(),
    sa.Column("search_text", sa.Text, nullable=False),
    # The customer's `customers.audience_cell`, kept by the same trigger (migration 0005):
    # a search with gender, messenger status or channel is counted here alone.
    sa.Column("audience_cell", sa.SmallInteger, nullable=False),
)

# Each audience cell's customers (migration 0006): `audience_counts` as last folded, plus
# the changes appended since by triggers on `customers`. No row-level policy (no personal
# data, and the folding job sees every tenant): read only with the transaction's tenant.
audience_counts = sa.Table(
    "audience_counts",
    metadata,
    tenant_column(primary_key=True),
    sa.Column("audience_cell", sa.SmallInteger, primary_key=True),
    sa.Column("customers", sa.BigInteger, nullable=False),
)

audience_count_deltas = sa.Table(
    "audience_count_deltas",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    tenant_column(),
    sa.Column("audience_cell", sa.SmallInteger, nullable=False),
    sa.Column("change", sa.BigInteger, nullable=False),
    sa.Index("ix_audience_count_deltas_cell", "tenant_id", "audience_cell"),
)

# Merges of duplicate cards (migration 0016): the services still to move their records.
merges = sa.Table(
    "merges",
    metadata,
    sa.Column("duplicate_id", UUID(as_uuid=True), primary_key=True),
    tenant_column(),
    sa.Column("survivor_id", UUID(as_uuid=True), nullable=False),
    sa.Column("pending", ARRAY(sa.Text), nullable=False),
    moment("started_at", nullable=False),
    moment("finished_at"),
)
