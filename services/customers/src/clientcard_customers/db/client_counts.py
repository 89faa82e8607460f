"""`totalCount` of the client list: exact, reading as little as it can.

The two lists opened most read counts kept by triggers (migration 0003), and so does a
filter of nothing but gender, messenger status (or having a messenger) and channel: the
counts of its audience cells, folded from the changes triggers append (0006). A search
alone, or with nothing but those, counts the matches in `customer_search`, which also
holds each customer's audience cell (0005), never touching `customers`. Any other filter
is an index-only scan of the range of one filtered column, whose index carries the other
filtered figures (0004), read only for the audience cells the filter allows. Customers in
none of some segments are the count without that condition less those in them.
"""

from dataclasses import replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_customers.db import audience_counts, client_search
from clientcard_customers.db.client_filters import audience_cells, conditions, in_segments
from clientcard_customers.db.tables import (
    customer_search,
    customer_segments,
    customers,
    segments,
    tenant_customer_counts,
)
from clientcard_customers.domain.client_list import ClientFilter


async def count(session: AsyncSession, client_filter: ClientFilter, today: date) -> int:
    """How many customers of the transaction's tenant the filter matches, exactly."""
    if client_filter.not_in_segment_ids:
        return await _outside_segments(session, client_filter, today)
    # The two lists opened most read counts that triggers keep (migration 0003).
    if client_filter.is_empty():
        return await _number(session, sa.select(tenant_customer_counts.c.customers))
    segment = client_filter.only_segment()
    if segment is not None:
        return await _number(session, sa.select(segments.c.members).where(segments.c.id == segment))
    if not client_filter.search and _audience_only(client_filter):
        # Gender, messenger status and channel alone: the kept counts of the filter's
        # cells (migration 0006), whatever share of the tenant they hold.
        return await audience_counts.customers_in(session, audience_cells(client_filter))
    if client_filter.search and _audience_only(replace(client_filter, search=None)):
        # The narrow copy answers alone, audience cell included (migration 0005);
        # `customers` is not read at all.
        matches = client_search.tenant_matches(client_filter.search)
        if not replace(client_filter, search=None).is_empty():
            matches.append(customer_search.c.audience_cell.in_(audience_cells(client_filter)))
        return await _number(
            session, sa.select(sa.func.count()).select_from(customer_search).where(*matches)
        )
    counted = conditions(client_filter, today, ids_first=True)
    if _cells_bound_a_count(client_filter):
        counted.append(customers.c.audience_cell.in_(audience_cells(client_filter)))
    return await _number(session, sa.select(sa.func.count()).select_from(customers).where(*counted))


def _audience_only(f: ClientFilter) -> bool:
    """Whether `f` asks for nothing but gender, messenger status and channel (or nothing)."""
    return replace(
        f, gender=None, messenger_status=None, channel=None, has_messenger=None
    ).is_empty()


def _cells_bound_a_count(f: ClientFilter) -> bool:
    """Whether a count may read an index keyed by the audience cell, then a range.

    Those indexes serve ranges of last purchase, NPS and money, and filters without any
    range. A range of registration, purchases or birthday has an index of its own, where
    the cells would only be one more condition to check in every entry.
    """
    keyed_by_cell = (
        f.last_purchase_from,
        f.last_purchase_to,
        f.nps_min,
        f.nps_max,
        f.revenue_min,
        f.revenue_max,
        f.average_check_min,
        f.average_check_max,
        f.bonus_balance_min,
        f.bonus_balance_max,
        f.nps_category,
    )
    own_index = (
        f.registered_from,
        f.registered_to,
        f.purchases_min,
        f.purchases_max,
        f.birthday_within_days,
        f.birth_month,
        f.outlet_ids,
        f.registration_sources,
        f.purchased_at_outlet_ids,
        f.bonuses_expiring_within_days,
        f.tier_ids,
    )
    return any(b is not None for b in keyed_by_cell) or all(b is None for b in own_index)


async def _outside_segments(session: AsyncSession, f: ClientFilter, today: date) -> int:
    left_out = f.not_in_segment_ids or ()
    rest = replace(f, not_in_segment_ids=None)
    if rest.is_empty():
        # Members are a tenth of a tenant or so: counted from the membership rows.
        inside: sa.Select[Any] = sa.select(
            sa.func.count(sa.distinct(customer_segments.c.customer_id))
        ).where(customer_segments.c.segment_id.in_(left_out))
    else:
        matched = [*conditions(rest, today, ids_first=True), in_segments(left_out)]
        inside = sa.select(sa.func.count()).select_from(customers).where(*matched)
    return await count(session, rest, today) - await _number(session, inside)


async def _number(session: AsyncSession, query: sa.Select[Any]) -> int:
    return int(await session.scalar(query) or 0)
