"""Counts follow every change of what they are keyed by: figures, gender, the folding of
the appended changes, and two transactions moving customers between the same cells."""

from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_contracts.enums import Gender
from clientcard_customers import commands
from clientcard_customers.db import audience_counts
from clientcard_customers.db.tables import audience_count_deltas
from clientcard_customers.domain.profile import ProfileChanges

from .count_cases import CASES, assert_counts_exact
from .known_customers import CHANNELS, STATUSES, store_figures, tenants_fixture

pytestmark = pytest.mark.integration

tenants = tenants_fixture()


async def test_counts_follow_updates_of_figures(tenants: Any) -> None:
    mine, _ = tenants
    for index, person in enumerate(mine.people[::5]):
        person.balance += 250
        person.status = STATUSES[(STATUSES.index(person.status) + 1) % len(STATUSES)]
        person.channel = CHANNELS[(CHANNELS.index(person.channel) + 1) % len(CHANNELS)]
        person.revenue += Decimal("700.00")
        person.purchases += 1
        person.nps = index % 11
        async with mine.work() as uow:
            await store_figures(uow, person, stamp=2)
            await uow.commit()
    await assert_counts_exact(mine, CASES)


async def test_counts_follow_changes_of_gender(tenants: Any) -> None:
    mine, _ = tenants
    genders = list(Gender)
    for person in mine.people[1::4]:
        person.gender = genders[(genders.index(person.gender) + 1) % len(genders)]
        async with mine.work() as uow:
            changes = ProfileChanges({"gender": person.gender})
            await commands.update_customer(uow, person.id, changes)
    await assert_counts_exact(mine, CASES)


async def test_folding_the_changes_keeps_every_count(tenants: Any) -> None:
    mine, theirs = tenants
    async with mine.db.transaction() as session:
        await audience_counts.fold(session)
        pending = sa.select(sa.func.count()).select_from(audience_count_deltas)
        assert await session.scalar(pending) == 0
    await assert_counts_exact(mine, CASES)
    await assert_counts_exact(theirs, CASES)


async def test_changes_of_cells_in_two_transactions_never_wait_on_each_other(
    tenants: Any,
) -> None:
    """Each moves two customers between the same two cells, in opposite orders: with one
    kept row per cell they would deadlock; appended changes lock nothing shared."""
    mine, _ = tenants
    movers = [p for p in mine.people if p.status == "ACTIVE" and p.channel == "TELEGRAM"][:2]
    stayers = [p for p in mine.people if p.status == "INACTIVE" and p.channel == "TELEGRAM"][:2]
    assert len(movers) == len(stayers) == 2
    async with mine.work() as first, mine.work() as second:
        for uow in (first, second):
            await uow.session.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
        moves = [
            (first, movers[0], "INACTIVE"),
            (second, stayers[0], "ACTIVE"),
            (first, stayers[1], "ACTIVE"),
            (second, movers[1], "INACTIVE"),
        ]
        for uow, person, status in moves:
            person.status = status
            await store_figures(uow, person, stamp=3)
        await first.commit()
        await second.commit()
    await assert_counts_exact(mine, CASES)
