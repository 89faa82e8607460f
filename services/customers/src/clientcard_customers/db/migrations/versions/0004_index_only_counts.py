"""Exact `totalCount` of a filtered list from indexes alone (index-only scans).

A count visited every matching customer's row in `customers`, a wide table: hundreds of
milliseconds when a filter matches a large share of a big tenant. Now every filterable
range has an index whose entries carry every other filtered figure in INCLUDE, so a
count is an index-only scan of one range with the other filters checked in the entries.

Row-level security lets PostgreSQL use a query's condition as an index condition only
when its operator is leakproof (the policy's own `tenant_id = current_setting(...)` is,
so every scan stays within the tenant's part of an index). Comparisons of integers,
timestamps and text are; those of `numeric` are not, so a range on money never bounded
an index scan. Money is therefore also kept in whole cents (stored generated columns,
exact for numeric(14, 2)), which the list's filters compare instead.

Gender, messenger status and channel have a handful of values each, and merchants
combine them with a range ("women with an active messenger and 1,000 bonuses or more"),
where the range alone may span half the tenant. `audience_cell` numbers the combination
of the three, and the counting indexes are keyed (tenant_id, audience_cell, range
column): a count asks for the cells its filter allows (`db.client_list`), which bounds
the scan to the matching combinations' parts of the range. The values known here are
frozen; any other value falls into its dimension's last cell, where a filter for such a
value looks too, so a value added later is counted exactly, only less narrowly.

Index-only scans skip the table only on pages the visibility map marks all-visible, and
every update of a customer's figures clears its page's mark until the next vacuum: after
5,000 updates spread over a million customers, a count that read 125,000 entries also
fetched 14,000 rows from the table and took twice as long. So autovacuum visits
`customers` after 0.2 % of its rows changed instead of 20 %. Such a vacuum reads only
the unmarked pages, but also every index to remove the dead entries (about 4 s for a
million customers on the 2-core machine).

A search's page chooses its way by the planner's estimate of the matches, which for
`LIKE '%…%'` is the share of a sample of search texts that hold the text. A sample of a
hundred made that estimate swing between 100 and 40,000 for a text 11,000 customers of a
million share, and the slower way was taken at random; a sample of a thousand keeps it
near the truth.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"

# The money columns and their whole-cent copies.
_CENTS = {
    "revenue": "revenue_cents",
    "average_check": "average_check_cents",
    "bonus_balance": "bonus_balance_cents",
}
# The dimensions of `audience_cell`, outermost first, with their known values (frozen:
# `db.tables.AUDIENCE` numbers them the same way).
_AUDIENCE = (
    ("gender", ("FEMALE", "MALE", "UNKNOWN")),
    ("messenger_status", (None, "ACTIVE", "INACTIVE")),
    ("default_channel", (None, "TELEGRAM", "WHATSAPP", "VIBER", "VK", "SMS")),
)
# Every column a filter of the list compares (segments and search aside).
_FILTERED = (
    "gender",
    "messenger_status",
    "default_channel",
    "last_nps_score",
    "birth_month_day",
    "registered_at",
    "purchases",
    "last_purchase_at",
    *_CENTS.values(),
    "audience_cell",
)
# (index, key columns). The indexes 0001 made are rebuilt with INCLUDE and the same keys,
# so the orders by registration and purchases keep serving pages.
_REBUILT = (
    ("ix_customers_by_registered_at", ("registered_at", "id")),
    ("ix_customers_by_purchases", ("purchases", "id")),
    ("ix_customers_birthday", ("birth_month_day",)),
)
_ADDED = tuple(
    (f"ix_customers_count_{column}", ("audience_cell", column))
    for column in ("last_purchase_at", "last_nps_score", *_CENTS.values())
)
_AUTOVACUUM = ("autovacuum_vacuum_scale_factor", "autovacuum_vacuum_insert_scale_factor")


def upgrade() -> None:
    # One statement, so the table is rewritten once for all four columns.
    added = [
        f"ADD COLUMN {cents} bigint NOT NULL GENERATED ALWAYS AS (({money} * 100)::bigint) STORED"
        for money, cents in _CENTS.items()
    ]
    added.append(
        "ADD COLUMN audience_cell smallint NOT NULL "
        f"GENERATED ALWAYS AS ({_audience_cell()}) STORED"
    )
    op.execute(f"ALTER TABLE customers {', '.join(added)}")
    for name, _ in _REBUILT:
        op.execute(f"DROP INDEX {name}")
    for name, keys in (*_REBUILT, *_ADDED):
        included = ", ".join(column for column in _FILTERED if column not in keys)
        op.execute(
            f"CREATE INDEX {name} ON customers (tenant_id, {', '.join(keys)}) INCLUDE ({included})"
        )
    settings = ", ".join(f"{setting} = 0.002" for setting in _AUTOVACUUM)
    op.execute(f"ALTER TABLE customers SET ({settings})")
    op.execute("ALTER TABLE customer_search ALTER COLUMN search_text SET STATISTICS 1000")


def downgrade() -> None:
    op.execute("ALTER TABLE customer_search ALTER COLUMN search_text SET STATISTICS -1")
    op.execute(f"ALTER TABLE customers RESET ({', '.join(_AUTOVACUUM)})")
    for name, _ in (*_REBUILT, *_ADDED):
        op.execute(f"DROP INDEX {name}")
    op.execute(
        "CREATE INDEX ix_customers_by_registered_at ON customers (tenant_id, registered_at, id)"
    )
    op.execute("CREATE INDEX ix_customers_by_purchases ON customers (tenant_id, purchases, id)")
    op.execute("CREATE INDEX ix_customers_birthday ON customers (tenant_id, birth_month_day)")
    dropped = ", ".join(f"DROP COLUMN {column}" for column in (*_CENTS.values(), "audience_cell"))
    op.execute(f"ALTER TABLE customers {dropped}")


def _audience_cell() -> str:
    """The cell as SQL: each dimension's place among its known values (the place after them
    for any other value), as the digits of one number, the outermost dimension first."""
    cell = "0"
    for column, known in _AUDIENCE:
        cases = " ".join(
            f"WHEN {column} IS NULL THEN {index}"
            if value is None
            else f"WHEN {column} = '{value}' THEN {index}"
            for index, value in enumerate(known)
        )
        cell = f"({cell}) * {len(known) + 1} + CASE {cases} ELSE {len(known)} END"
    return cell
