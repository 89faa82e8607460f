"""Counts kept as rows change: a tenant's customers and each segment's members.

The two lists merchants open most, all clients and one segment, show `totalCount`; an
exact count(*) over a large tenant visits every row (tens to hundreds of milliseconds on
a million customers). Statement-level triggers keep both counts in the transaction that
changes the rows, whichever path changes them (registration, erasure, assignment, the
cascade when a segment or customer is deleted), so they are as exact as count(*).

Concurrent changes to the same count wait for each other (one row each). Segments are
locked in id order first, and FOR NO KEY UPDATE: an assignment's foreign-key check already
holds KEY SHARE on its segments, which that lock (unlike FOR UPDATE) does not conflict
with, so two assignments touching the same segments wait in turn and cannot deadlock.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

from clientcard_kit.db import migrations

revision = "0003"
down_revision = "0002"

_FUNCTIONS = (
    """
CREATE FUNCTION customers_counted_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tenant_customer_counts AS counts (tenant_id, customers)
    SELECT tenant_id, count(*) FROM added GROUP BY tenant_id
    ON CONFLICT (tenant_id) DO UPDATE SET customers = counts.customers + EXCLUDED.customers;
    RETURN NULL;
END
$$
""",
    """
CREATE FUNCTION customers_counted_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenant_customer_counts AS counts SET customers = counts.customers - gone.n
    FROM (SELECT tenant_id, count(*) AS n FROM removed GROUP BY tenant_id) AS gone
    WHERE counts.tenant_id = gone.tenant_id;
    RETURN NULL;
END
$$
""",
    """
CREATE FUNCTION segment_members_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM segments WHERE id IN (SELECT segment_id FROM added)
        ORDER BY id FOR NO KEY UPDATE;
    UPDATE segments SET members = segments.members + change.n
    FROM (SELECT segment_id, count(*) AS n FROM added GROUP BY segment_id) AS change
    WHERE segments.id = change.segment_id;
    RETURN NULL;
END
$$
""",
    """
CREATE FUNCTION segment_members_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM segments WHERE id IN (SELECT segment_id FROM removed)
        ORDER BY id FOR NO KEY UPDATE;
    UPDATE segments SET members = segments.members - change.n
    FROM (SELECT segment_id, count(*) AS n FROM removed GROUP BY segment_id) AS change
    WHERE segments.id = change.segment_id;
    RETURN NULL;
END
$$
""",
)
# (table, trigger, event, transition table, function)
_TRIGGERS = (
    ("customers", "customers_count_in", "INSERT", "NEW TABLE AS added", "customers_counted_in"),
    ("customers", "customers_count_out", "DELETE", "OLD TABLE AS removed", "customers_counted_out"),
    (
        "customer_segments",
        "members_count_in",
        "INSERT",
        "NEW TABLE AS added",
        "segment_members_added",
    ),
    (
        "customer_segments",
        "members_count_out",
        "DELETE",
        "OLD TABLE AS removed",
        "segment_members_removed",
    ),
)
_BACKFILL = (
    "INSERT INTO tenant_customer_counts (tenant_id, customers) "
    "SELECT tenant_id, count(*) FROM customers GROUP BY tenant_id",
    "UPDATE segments SET members = (SELECT count(*) FROM customer_segments AS member "
    "WHERE member.segment_id = segments.id)",
)


def upgrade() -> None:
    op.create_table(
        "tenant_customer_counts",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("customers", sa.BigInteger, nullable=False),
    )
    op.add_column("segments", sa.Column("members", sa.Integer, nullable=False, server_default="0"))
    for function in _FUNCTIONS:
        op.execute(function)
    for table, name, event, transition, function in _TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transition} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    # The counts of every tenant so far: the policies would hide all rows from a
    # migration, which runs outside any tenant, so they are lifted for the copy.
    for table in ("customers", "customer_segments", "segments"):
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    for statement in _BACKFILL:
        op.execute(statement)
    for table in ("customers", "customer_segments", "segments"):
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    migrations.enable_tenant_isolation("tenant_customer_counts")


def downgrade() -> None:
    migrations.disable_tenant_isolation("tenant_customer_counts")
    for table, name, *_ in _TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON {table}")
    for function in (
        "customers_counted_in",
        "customers_counted_out",
        "segment_members_added",
        "segment_members_removed",
    ):
        op.execute(f"DROP FUNCTION {function}()")
    op.drop_column("segments", "members")
    op.drop_table("tenant_customer_counts")
