"""The client list ordered by the next birthday, and counts by outlet or source from indexes.

The index of birthdays gains the customer's id as its last key, so each run of the order
(`db.birthday_order`) is a walk of it from the cursor. It and the indexes of registration
outlets and sources (0013) carry every column a count filters on (as the counting indexes
of 0004 do, with the outlet and the source beside them), so a count of "born in June at
this outlet with a messenger" reads index entries only, never a customer's row.

Revision ID: 0018
"""

from alembic import op

revision = "0018"
down_revision = "0014"

_FILTERED = (
    "gender",
    "messenger_status",
    "default_channel",
    "last_nps_score",
    "birth_month_day",
    "registered_at",
    "purchases",
    "last_purchase_at",
    "revenue_cents",
    "average_check_cents",
    "bonus_balance_cents",
    "audience_cell",
    "outlet_id",
    "source",
)
_REBUILT = (
    ("ix_customers_birthday", ("birth_month_day", "id")),
    ("ix_customers_by_outlet", ("outlet_id",)),
    ("ix_customers_by_source", ("source",)),
)
# What 0004 and 0013 left, for the downgrade.
_BEFORE = (
    ("ix_customers_birthday", ("birth_month_day",), _FILTERED[:-2]),
    ("ix_customers_by_outlet", ("outlet_id",), ()),
    ("ix_customers_by_source", ("source",), ()),
)


def upgrade() -> None:
    for name, keys in _REBUILT:
        carried = tuple(column for column in _FILTERED if column not in keys)
        _rebuild(name, keys, carried)


def downgrade() -> None:
    for name, keys, carried in _BEFORE:
        _rebuild(name, keys, tuple(column for column in carried if column not in keys))


def _rebuild(name: str, keys: tuple[str, ...], carried: tuple[str, ...]) -> None:
    op.execute(f"DROP INDEX {name}")
    included = f" INCLUDE ({', '.join(carried)})" if carried else ""
    op.execute(f"CREATE INDEX {name} ON customers (tenant_id, {', '.join(keys)}){included}")
