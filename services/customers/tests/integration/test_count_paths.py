"""`totalCount` stays exact on every way it is counted (migration 0004).

Counts come from index-only scans keyed by the audience cell and a range, from money in
whole cents and, for a search alone, from `customer_search`. Each count here is checked
against the customers as this test knows them, against the page the list returns, and
against another tenant holding the same kinds of customers and the same names.
"""

import itertools
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers import commands
from clientcard_customers.db import audience_counts
from clientcard_customers.db.client_list import audience_cells
from clientcard_customers.db.figures import FigureGroup
from clientcard_customers.db.tables import audience_count_deltas, customers
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import ClientFilter, ClientOrder
from clientcard_customers.domain.profile import (
    NewCustomer,
    Profile,
    ProfileChanges,
    Registration,
)
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database

pytestmark = pytest.mark.integration

TODAY = date(2026, 6, 10)
NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)
STATUSES = (None, "ACTIVE", "INACTIVE")
# "MAX" stands for a channel added after migration 0004: it has no cell of its own.
CHANNELS = (None, "TELEGRAM", "SMS", "MAX")


@dataclass
class Known:
    """A customer as the test made it."""

    id: uuid.UUID
    surname: str
    gender: Gender
    status: str | None
    channel: str | None
    purchases: int
    revenue: Decimal
    balance: Decimal
    nps: int | None
    registered_at: datetime
    last_purchase_at: datetime | None


@dataclass
class Tenant:
    db: Database
    name: str
    people: list[Known]

    def work(self) -> CustomersUnitOfWork:
        return CustomersUnitOfWork.for_tenant(self.db, tenant=self.name, source="tests")


async def populate(db: Database, name: str, every: int) -> Tenant:
    """Every `every`-th combination of gender × messenger status × channel, with figures."""
    tenant = Tenant(db, name, [])
    combinations = itertools.product(Gender, STATUSES, CHANNELS)
    for index, (gender, status, channel) in enumerate(combinations):
        if index % every:
            continue
        person = Known(
            id=uuid.uuid4(),
            surname="Петрова" if index % 3 else "Орлова",
            gender=gender,
            status=status,
            channel=channel,
            purchases=index % 7,
            revenue=Decimal(700 * (index % 7)) + Decimal("0.50") * (index % 2),
            balance=Decimal(37 * index % 500),
            nps=None if index % 4 == 0 else index % 11,
            registered_at=NOW - timedelta(days=10 * index),
            last_purchase_at=NOW - timedelta(days=index) if index % 7 else None,
        )
        await register(tenant, person, index)
        tenant.people.append(person)
    return tenant


async def register(tenant: Tenant, person: Known, index: int) -> None:
    async with tenant.work() as uow:
        person.id = (
            await commands.register_customer(
                uow,
                NewCustomer(
                    phone=f"+7913000{index:04d}",
                    profile=Profile(
                        first_name="Ия", last_name=person.surname, gender=person.gender
                    ),
                    registration=Registration(
                        registered_at=person.registered_at, source=RegistrationSource.MANUAL
                    ),
                ),
            )
        ).id
    async with tenant.work() as uow:
        await store_figures(uow, person, stamp=1)
        await uow.commit()


async def store_figures(uow: CustomersUnitOfWork, person: Known, stamp: int) -> None:
    average = person.revenue / person.purchases if person.purchases else Decimal(0)
    await uow.figures.apply(
        person.id,
        FigureGroup.PURCHASES,
        {
            "purchases": person.purchases,
            "revenue": person.revenue,
            "average_check": average.quantize(Decimal("0.01")),
            "last_purchase_at": person.last_purchase_at,
        },
        stamp,
    )
    await uow.figures.apply(
        person.id, FigureGroup.BONUS_BALANCE, {"bonus_balance": person.balance}, stamp
    )
    await uow.figures.apply(
        person.id,
        FigureGroup.MESSENGERS,
        {"messenger_status": person.status, "default_channel": person.channel},
        stamp,
    )
    if person.nps is not None:
        moment = NOW + timedelta(seconds=stamp)
        await uow.figures.apply(person.id, FigureGroup.NPS, {"last_nps_score": person.nps}, moment)


@pytest.fixture(scope="module")
async def tenants(customers_settings: CustomersSettings) -> AsyncIterator[tuple[Tenant, Tenant]]:
    db = Database(customers_settings.database_url)
    suffix = uuid.uuid4().hex[:6]
    mine = await populate(db, f"paths-a-{suffix}", every=1)
    # The same kinds of customers with the same surnames, fewer of them: a count that
    # saw them would be off.
    theirs = await populate(db, f"paths-b-{suffix}", every=2)
    yield mine, theirs
    await db.dispose()


# A filter, and who it keeps.
Case = tuple[ClientFilter, Callable[[Known], bool]]
CASES: list[Case] = [
    (
        ClientFilter(
            gender=Gender.FEMALE, messenger_status="ACTIVE", bonus_balance_min=Decimal("100")
        ),
        lambda p: p.gender is Gender.FEMALE and p.status == "ACTIVE" and p.balance >= 100,
    ),
    (ClientFilter(bonus_balance_max=Decimal("200")), lambda p: p.balance <= 200),
    (ClientFilter(revenue_min=Decimal("1400.50")), lambda p: p.revenue >= Decimal("1400.50")),
    # Bounds finer than a cent: >= 700.001 leaves out 700.00, <= 700.009 keeps it.
    (ClientFilter(revenue_min=Decimal("700.001")), lambda p: p.revenue > 700),
    (ClientFilter(revenue_max=Decimal("700.009")), lambda p: p.revenue <= 700),
    (ClientFilter(revenue_min=Decimal("1e20")), lambda p: False),
    (ClientFilter(revenue_max=Decimal("-1e20")), lambda p: False),
    (
        ClientFilter(average_check_min=Decimal("700.25"), channel="TELEGRAM"),
        lambda p: (
            p.channel == "TELEGRAM"
            and p.purchases > 0
            and (p.revenue / p.purchases).quantize(Decimal("0.01")) >= Decimal("700.25")
        ),
    ),
    (ClientFilter(channel="MAX"), lambda p: p.channel == "MAX"),
    (
        ClientFilter(channel="MAX", messenger_status="INACTIVE", nps_max=6),
        lambda p: (
            p.channel == "MAX" and p.status == "INACTIVE" and p.nps is not None and p.nps <= 6
        ),
    ),
    (ClientFilter(gender=Gender.UNKNOWN), lambda p: p.gender is Gender.UNKNOWN),
    (ClientFilter(messenger_status="ACTIVE"), lambda p: p.status == "ACTIVE"),
    (ClientFilter(nps_min=3, nps_max=8), lambda p: p.nps is not None and 3 <= p.nps <= 8),
    (
        ClientFilter(last_purchase_from=NOW - timedelta(days=20), gender=Gender.MALE),
        lambda p: (
            p.gender is Gender.MALE
            and p.last_purchase_at is not None
            and p.last_purchase_at >= NOW - timedelta(days=20)
        ),
    ),
    (ClientFilter(last_purchase_to=NOW - timedelta(days=20)), lambda p: _bought_before(p, 20)),
    (
        ClientFilter(purchases_min=2, purchases_max=4, messenger_status="INACTIVE"),
        lambda p: 2 <= p.purchases <= 4 and p.status == "INACTIVE",
    ),
    (
        ClientFilter(registered_from=NOW - timedelta(days=200), nps_max=6),
        lambda p: p.registered_at >= NOW - timedelta(days=200) and p.nps is not None and p.nps <= 6,
    ),
    (ClientFilter(search="петров"), lambda p: p.surname == "Петрова"),
    (
        ClientFilter(search="петров", gender=Gender.FEMALE, bonus_balance_min=Decimal("150")),
        lambda p: p.surname == "Петрова" and p.gender is Gender.FEMALE and p.balance >= 150,
    ),
    # A search with nothing but audience filters is counted in `customer_search` (0005).
    (
        ClientFilter(search="петров", gender=Gender.FEMALE),
        lambda p: p.surname == "Петрова" and p.gender is Gender.FEMALE,
    ),
    (
        ClientFilter(search="орлов", messenger_status="ACTIVE", channel="MAX"),
        lambda p: p.surname == "Орлова" and p.status == "ACTIVE" and p.channel == "MAX",
    ),
    (
        ClientFilter(search="петров", channel="TELEGRAM", gender=Gender.MALE),
        lambda p: p.surname == "Петрова" and p.channel == "TELEGRAM" and p.gender is Gender.MALE,
    ),
]


def _bought_before(person: Known, days: int) -> bool:
    last = person.last_purchase_at
    return last is not None and last <= NOW - timedelta(days=days)


async def assert_counts_exact(tenant: Tenant, cases: list[Case]) -> None:
    async with tenant.work() as uow:
        for wanted, keeps in cases:
            expected = sum(1 for person in tenant.people if keeps(person))
            counted = await uow.client_list.count(wanted, TODAY)
            page = await uow.client_list.page(wanted, ClientOrder(), 500, None, TODAY)
            assert (counted, len(page)) == (expected, expected), wanted


async def test_every_way_of_counting_is_exact_and_sees_only_its_tenant(tenants: Any) -> None:
    mine, theirs = tenants
    assert sum(1 for person in mine.people if person.surname == "Петрова") > 0
    await assert_counts_exact(mine, CASES)
    await assert_counts_exact(theirs, CASES)
    async with mine.work() as uow:  # a search alone reads only the tenant's copies
        everyone = await uow.client_list.count(ClientFilter(search="7913000"), TODAY)
    assert everyone == len(mine.people)


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
