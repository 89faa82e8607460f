"""Every customer's searchable text rewritten for search as merchants type it.

The text becomes a row of words (`domain.search.searchable_text`): name parts with ё read
as е, the phone's international digits and the digits as dialled at home, the e-mail and
its parts, so that a phone in any spelling, names in any order and e-mail fragments match.
The trigger of migration 0005 copies each new text into `customer_search`.

Revision ID: 0008
"""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Row

from clientcard_customers.domain.search import searchable_text

revision = "0008"
down_revision = "0007"

_BATCH = 5_000

_READ = sa.text(
    "SELECT id, first_name, last_name, phone, email FROM customers "
    "WHERE id > :after ORDER BY id LIMIT :limit"
)
_WRITE = sa.text(
    "UPDATE customers SET search_text = given.text "
    "FROM unnest(CAST(:ids AS uuid[]), CAST(:texts AS text[])) AS given (id, text) "
    "WHERE customers.id = given.id AND customers.search_text IS DISTINCT FROM given.text"
)
_FIRST_ID = "00000000-0000-0000-0000-000000000000"


def _rewrite(text_of: Callable[[Row[Any]], str]) -> None:
    connection = op.get_bind()
    # Every tenant's customers: the migration runs outside any tenant.
    op.execute("ALTER TABLE customers NO FORCE ROW LEVEL SECURITY")
    after = _FIRST_ID
    while True:
        rows = connection.execute(_READ, {"after": after, "limit": _BATCH}).all()
        if not rows:
            break
        texts = [text_of(row) for row in rows]
        connection.execute(_WRITE, {"ids": [row.id for row in rows], "texts": texts})
        after = str(rows[-1].id)
    op.execute("ALTER TABLE customers FORCE ROW LEVEL SECURITY")


def upgrade() -> None:
    _rewrite(lambda row: searchable_text(row.first_name, row.last_name, row.phone, row.email))


def downgrade() -> None:
    # The text as it was before: the parts, lower-cased, joined by spaces.
    _rewrite(
        lambda row: " ".join(
            part for part in (row.first_name, row.last_name, row.phone, row.email) if part
        ).casefold()
    )
