"""The client list's search: which customers hold every needle of what was typed.

Two ways, by how many customers the text is likely to match. Few: their ids come first
from the trigram index of `customer_search` (a copy of each customer's searchable text
outside row-level security, migration 0002), and only they are sorted. Many: the order's
index is walked and each customer's own text checked, which reaches a page sooner. The
way is chosen from the planner's estimate of the matches (`few_matches`). What a needle
is, and what a customer's searchable text holds, is the domain's (`domain.search`).
"""

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from clientcard_customers.db.tables import customer_search
from clientcard_customers.domain.search import needles
from clientcard_kit.db.database import TENANT_SETTING

# Above this estimate of matching customers a search walks the order's index instead.
# Sorting the matches costs about 6 µs each on a tenant of a million, walking about 2.5 µs
# per customer passed until a page is full; the two meet near 5,000 matches.
FEW_MATCHES = 5_000


async def few_matches(session: AsyncSession, search: str | None) -> bool:
    """Whether the planner expects few enough matches to gather their ids first."""
    if not search:
        return False
    pieces = needles(search).pieces
    likes = " AND ".join(f"search_text LIKE :p{i} ESCAPE '/'" for i in range(len(pieces)))
    plan = await session.scalar(
        sa.text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM customer_search WHERE {likes}"),
        {f"p{i}": f"%{_escaped(piece)}%" for i, piece in enumerate(pieces)},
    )
    return bool(plan[0]["Plan"]["Plan Rows"] <= FEW_MATCHES)


def matching_ids(text: str) -> sa.Select[tuple[uuid.UUID]]:
    """Ids of the transaction's tenant's customers whose names, phone or e-mail hold `text`.

    Materialised, so that PostgreSQL plans it on its own and may use the trigram index.
    """
    matches = (
        sa.select(customer_search.c.customer_id)
        .where(*tenant_matches(text))
        .cte("search_matches")
        .prefix_with("MATERIALIZED")
    )
    return sa.select(matches.c.customer_id)


def tenant_matches(text: str) -> list[ColumnElement[bool]]:
    """Rows of `customer_search` (no policy of its own) that are the tenant's and hold `text`."""
    s = customer_search.c
    # A subquery, so the tenant is read once per query rather than once per row checked.
    tenant = sa.select(sa.func.current_setting(TENANT_SETTING, True)).scalar_subquery()
    return [s.tenant_id == tenant, *_holds_all(s.search_text, text)]


def _escaped(text: str) -> str:
    """`text` as a LIKE pattern that matches it literally (as `autoescape=True` does)."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _holds_all(column: ColumnElement[str], text: str) -> list[ColumnElement[bool]]:
    """`column` holds every needle of the search text (`LIKE`, which the trigram index serves)."""
    return [column.contains(piece, autoescape=True) for piece in needles(text).pieces]


def each_holds(column: ColumnElement[str], text: str) -> list[ColumnElement[bool]]:
    """`column` holds every needle, checked row by row as the order's index is walked.

    `search_text_holds` (migration 0002) is opaque to the planner, so it walks the index
    rather than trusting an estimate of `LIKE`.
    """
    return [
        sa.func.search_text_holds(column, piece, type_=sa.Boolean) for piece in needles(text).pieces
    ]
