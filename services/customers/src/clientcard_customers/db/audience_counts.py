"""How many of a tenant's customers are in some audience cells, and folding the changes.

The triggers of migration 0006 append each change of a cell's count to
`audience_count_deltas`; `fold` moves them into `audience_counts`. A count reads both in
one statement, so it sees each change exactly once, folded or not.
"""

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_customers.db.tables import audience_count_deltas, audience_counts
from clientcard_kit.db.database import TENANT_SETTING

_TENANT = sa.select(sa.func.current_setting(TENANT_SETTING, True)).scalar_subquery()
_CELLS = sa.bindparam("cells", type_=sa.ARRAY(sa.SmallInteger))
_FOLDED = (
    sa.select(sa.func.coalesce(sa.func.sum(audience_counts.c.customers), 0))
    .where(
        audience_counts.c.tenant_id == _TENANT,
        audience_counts.c.audience_cell == sa.any_(_CELLS),
    )
    .scalar_subquery()
)
_PENDING = (
    sa.select(sa.func.coalesce(sa.func.sum(audience_count_deltas.c.change), 0))
    .where(
        audience_count_deltas.c.tenant_id == _TENANT,
        audience_count_deltas.c.audience_cell == sa.any_(_CELLS),
    )
    .scalar_subquery()
)
_COUNT = sa.select(_FOLDED + _PENDING)

# Every delta visible now moves into the counts in one statement: a delta appended
# meanwhile is not visible to it, stays, and is folded next time.
_FOLD = sa.text(
    """
    WITH moved AS (
        DELETE FROM audience_count_deltas RETURNING tenant_id, audience_cell, change
    ), summed AS (
        SELECT tenant_id, audience_cell, sum(change) AS change
        FROM moved GROUP BY tenant_id, audience_cell
    )
    INSERT INTO audience_counts AS counts (tenant_id, audience_cell, customers)
    SELECT tenant_id, audience_cell, change FROM summed
    ORDER BY tenant_id, audience_cell
    ON CONFLICT (tenant_id, audience_cell)
    DO UPDATE SET customers = counts.customers + EXCLUDED.customers
    """
)


async def customers_in(session: AsyncSession, cells: list[int]) -> int:
    """The transaction's tenant's customers in these cells."""
    return int(await session.scalar(_COUNT, {"cells": cells}) or 0)


async def fold(session: AsyncSession) -> int:
    """Move every visible delta into the counts; returns how many cell counts changed."""
    result = await session.execute(_FOLD)
    return int(getattr(result, "rowcount", 0) or 0)
