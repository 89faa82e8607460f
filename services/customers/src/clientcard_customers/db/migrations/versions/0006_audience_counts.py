"""Counts of each audience cell, for a list filtered by gender, messenger status or channel.

"Women", "an active messenger" or "Telegram" alone match a large share of a tenant: even
an index-only count reads hundreds of thousands of entries (64 ms for women on a million
customers). Here every change of `customers` appends, in its own transaction, the change
of each audience cell's count (statement-level triggers over the transition tables), and
a job folds those deltas into `audience_counts` every few seconds. A count adds the folded
counts of the filter's cells and the deltas not yet folded, in one snapshot: as exact as
count(*), whatever runs at the same time.

Deltas rather than one kept row per cell: consumer batches update many customers in one
transaction, in any order of cells; with kept rows two such batches would lock the same
cells in opposite orders and deadlock. Appending locks nothing shared, and only the job,
one replica at a time, writes `audience_counts`.

Neither table holds personal data (a tenant, a cell number, a count): like
`customer_search` they have no row-level policy, so the job sees every tenant; the list
reads them with the transaction's tenant.

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"

# The change of each cell's count made by one statement on `customers`.
_CHANGED_CELLS = """
CREATE FUNCTION customers_cells_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audience_count_deltas (tenant_id, audience_cell, change)
        SELECT tenant_id, audience_cell, count(*) FROM added GROUP BY 1, 2;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO audience_count_deltas (tenant_id, audience_cell, change)
        SELECT tenant_id, audience_cell, -count(*) FROM removed GROUP BY 1, 2;
    ELSE
        -- An unchanged cell appears once on each side and cancels out.
        INSERT INTO audience_count_deltas (tenant_id, audience_cell, change)
        SELECT tenant_id, audience_cell, sum(change) FROM (
            SELECT tenant_id, audience_cell, -1 AS change FROM removed
            UNION ALL
            SELECT tenant_id, audience_cell, 1 FROM added
        ) AS moves
        GROUP BY 1, 2
        HAVING sum(change) <> 0;
    END IF;
    RETURN NULL;
END
$$
"""
# (trigger, event, transition tables)
_TRIGGERS = (
    ("customers_cells_in", "INSERT", "NEW TABLE AS added"),
    ("customers_cells_out", "DELETE", "OLD TABLE AS removed"),
    ("customers_cells_moved", "UPDATE", "OLD TABLE AS removed NEW TABLE AS added"),
)


def upgrade() -> None:
    op.create_table(
        "audience_counts",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("audience_cell", sa.SmallInteger, primary_key=True),
        sa.Column("customers", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "audience_count_deltas",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("audience_cell", sa.SmallInteger, nullable=False),
        sa.Column("change", sa.BigInteger, nullable=False),
    )
    op.create_index(
        "ix_audience_count_deltas_cell", "audience_count_deltas", ["tenant_id", "audience_cell"]
    )
    op.execute(_CHANGED_CELLS)
    for name, event, transition in _TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON customers REFERENCING {transition} "
            "FOR EACH STATEMENT EXECUTE FUNCTION customers_cells_changed()"
        )
    # Every tenant's customers so far: the migration runs outside any tenant, so the
    # owner's FORCEd policy is lifted for this count (as in 0002 and 0003).
    op.execute("ALTER TABLE customers NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "INSERT INTO audience_counts (tenant_id, audience_cell, customers) "
        "SELECT tenant_id, audience_cell, count(*) FROM customers GROUP BY 1, 2"
    )
    op.execute("ALTER TABLE customers FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    for name, _, _ in _TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON customers")
    op.execute("DROP FUNCTION customers_cells_changed()")
    op.drop_table("audience_count_deltas")
    op.drop_table("audience_counts")
