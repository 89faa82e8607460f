"""The list's search served by a trigram index that row-level security does not bypass.

Under row-level security PostgreSQL applies a query's own conditions only after the
policy's unless they are leakproof, and `LIKE` is not: the trigram index on
`customers.search_text` was never used and every search scanned the tenant's rows.
`customer_search` holds (customer, tenant, text) without a policy, so the index serves
`LIKE`; the list reads it only with the tenant of the transaction
(`db.client_list._matching_search`) and joins the result back to `customers`, whose policy
still filters every row the list returns. A trigger keeps it equal to
`customers.search_text`, and the foreign key removes a row with its customer.

`search_text_holds` serves the other way of searching, for text that many customers
match: the order's index is walked and each customer's text checked. Written in PL/pgSQL
so that it is not inlined: the planner then gives it a neutral selectivity and walks the
index, where with `LIKE` it would think a handful of rows match, read them all and sort.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0002"
down_revision = "0001"

_SYNC_FUNCTION = """
CREATE FUNCTION customer_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_search (customer_id, tenant_id, search_text)
    VALUES (NEW.id, NEW.tenant_id, NEW.search_text)
    ON CONFLICT (customer_id) DO UPDATE SET search_text = EXCLUDED.search_text;
    RETURN NULL;
END
$$
"""


_HOLDS_FUNCTION = """
CREATE FUNCTION search_text_holds(haystack text, needle text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    RETURN strpos(haystack, needle) > 0;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "customer_search",
        sa.Column(
            "customer_id",
            UUID(as_uuid=True),
            sa.ForeignKey("customers.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
    )
    op.execute(
        "CREATE INDEX ix_customer_search_text ON customer_search "
        "USING gin (search_text gin_trgm_ops)"
    )
    op.execute(_SYNC_FUNCTION)
    op.execute(
        "CREATE TRIGGER customers_search_sync AFTER INSERT OR UPDATE OF search_text "
        "ON customers FOR EACH ROW EXECUTE FUNCTION customer_search_sync()"
    )
    # Existing customers of every tenant: the migration runs outside any tenant, and the
    # table owner's FORCEd policy would hide them, so the policy is lifted for this copy.
    op.execute("ALTER TABLE customers NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "INSERT INTO customer_search (customer_id, tenant_id, search_text) "
        "SELECT id, tenant_id, search_text FROM customers"
    )
    op.execute("ALTER TABLE customers FORCE ROW LEVEL SECURITY")
    op.drop_index("ix_customers_search", table_name="customers")
    op.execute(_HOLDS_FUNCTION)


def downgrade() -> None:
    op.execute("DROP FUNCTION search_text_holds(text, text)")
    op.execute("CREATE INDEX ix_customers_search ON customers USING gin (search_text gin_trgm_ops)")
    op.execute("DROP TRIGGER customers_search_sync ON customers")
    op.execute("DROP FUNCTION customer_search_sync()")
    op.drop_table("customer_search")
