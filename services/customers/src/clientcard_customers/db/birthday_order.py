"""The client list in "next birthday first" order, page by page.

The rank (`domain.birthdays.next_birthday_rank`) depends on today, so no index can hold it.
It is three runs of one index `(tenant_id, birth_month_day, id)` (migration 0015) instead:
the birthdays still ahead this year, then those already past (next year's), then the
customers without a birth date. Each run is walked from the cursor for at most a page, and
the page is the first rows of the three together, so a page reads about `first` index
entries wherever it starts.
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from clientcard_customers.db.tables import customers
from clientcard_customers.domain.birthdays import NEXT_YEAR, NO_BIRTHDAY, month_day
from clientcard_customers.domain.client_list import Position

c = customers.c


async def page(
    session: AsyncSession,
    where: Sequence[ColumnElement[bool]],
    descending: bool,
    first: int,
    after: Position | None,
    today: date,
) -> Sequence[sa.Row[tuple[object, ...]]]:
    """Up to `first` rows of customers with their rank as `sort_value`, in the order."""
    runs = [
        _run(where, c.birth_month_day >= month_day(today), 0, descending, first, after),
        _run(where, c.birth_month_day < month_day(today), NEXT_YEAR, descending, first, after),
        _undated(where, descending, first, after),
    ]
    together = sa.union_all(*runs).subquery()
    if descending:
        ordered = (together.c.sort_value.desc(), together.c.id.desc())
    else:
        ordered = (together.c.sort_value.asc(), together.c.id.asc())
    query = sa.select(together).order_by(*ordered).limit(first)
    return (await session.execute(query)).all()


def _run(
    where: Sequence[ColumnElement[bool]],
    part: ColumnElement[bool],
    offset: int,
    descending: bool,
    first: int,
    after: Position | None,
) -> sa.Select[tuple[object, ...]]:
    """The customers of one run ranked `offset + month-day`, walked along the index."""
    day = c.birth_month_day
    query = sa.select(customers, (day + offset).label("sort_value")).where(*where, part)
    if after is not None:
        # The cursor's rank moved into this run's month-day numbers: below 0 or above
        # 1231 it lies wholly before or after the run, and the comparison says so.
        mine = sa.tuple_(day, c.id)
        theirs = sa.tuple_(sa.literal(_rank(after) - offset), sa.literal(after.customer_id))
        query = query.where(mine < theirs if descending else mine > theirs)
    ordered = (day.desc(), c.id.desc()) if descending else (day.asc(), c.id.asc())
    return query.order_by(*ordered).limit(first)


def _undated(
    where: Sequence[ColumnElement[bool]], descending: bool, first: int, after: Position | None
) -> sa.Select[tuple[object, ...]]:
    query = sa.select(customers, sa.literal(NO_BIRTHDAY).label("sort_value"))
    query = query.where(*where, c.birth_month_day.is_(None))
    if after is not None:
        rank = _rank(after)
        if rank != NO_BIRTHDAY:
            # Before every undated customer (ascending) or after all of them.
            query = query.where(sa.true() if not descending else sa.false())
        else:
            beyond = c.id < after.customer_id if descending else c.id > after.customer_id
            query = query.where(beyond)
    return query.order_by(c.id.desc() if descending else c.id.asc()).limit(first)


def _rank(after: Position) -> int:
    return int(after.value) if isinstance(after.value, int) else NO_BIRTHDAY
