"""`totalCount` stays exact on every way it is counted (migration 0004).

Counts come from index-only scans keyed by the audience cell and a range, from money in
whole cents and, for a search alone, from `customer_search`. Each count here is checked
against the customers as this test knows them, against the page the list returns, and
against another tenant holding the same kinds of customers and the same names.
"""

from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_customers.db.client_filters import audience_cells
from clientcard_customers.db.tables import customers
from clientcard_customers.domain.client_list import ClientFilter

from .count_cases import CASES, assert_counts_exact
from .known_customers import TODAY, tenants_fixture

pytestmark = pytest.mark.integration

tenants = tenants_fixture()


async def test_every_way_of_counting_is_exact_and_sees_only_its_tenant(tenants: Any) -> None:
    mine, theirs = tenants
    assert sum(1 for person in mine.people if person.surname == "Петрова") > 0
    await assert_counts_exact(mine, CASES)
    await assert_counts_exact(theirs, CASES)
    async with mine.work() as uow:  # a search alone reads only the tenant's copies
        everyone = await uow.client_list.count(ClientFilter(search="7913000"), TODAY)
    assert everyone == len(mine.people)


async def test_each_customer_is_in_the_cell_its_filter_asks_for(tenants: Any) -> None:
    mine, _ = tenants
    async with mine.work() as uow:
        rows = await uow.session.execute(sa.select(customers.c.id, customers.c.audience_cell))
        stored = {row.id: row.audience_cell for row in rows}
    for person in mine.people:
        exact = ClientFilter(
            gender=person.gender, messenger_status=person.status, channel=person.channel
        )
        # A NULL status or channel is not a filter: the customer is among its cells.
        assert stored[person.id] in audience_cells(exact), person
        if person.status is not None and person.channel is not None:
            assert audience_cells(exact) == [stored[person.id]]
    assert sorted(audience_cells(ClientFilter())) == list(range(4 * 4 * 7))
    # Gender and status unasked (4 cells each with "any other"), a channel outside the
    # known ones: its dimension's "other" cell.
    assert len(audience_cells(ClientFilter(channel="MAX"))) == 4 * 4
