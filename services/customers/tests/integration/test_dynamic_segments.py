"""Dynamic segments against real PostgreSQL: created with exactly the customers their
filter matches, and kept so under a random stream of figure and segment changes, through
the same paths the service's consumers and mutations take."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcard_contracts.enums import RegistrationSource
from clientcard_customers import commands
from clientcard_customers.commands.figures import keep_figures
from clientcard_customers.db.figures import FigureGroup
from clientcard_customers.db.memberships import tenants_with_dynamic_segments
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import ClientFilter, ClientOrder
from clientcard_customers.domain.errors import InvalidInput
from clientcard_customers.domain.profile import NewCustomer, Profile, Registration
from clientcard_customers.domain.records import Segment
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database

pytestmark = pytest.mark.integration

NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)
PEOPLE = 6


@dataclass
class Shop:
    db: Database
    tenant: str
    customers: list[uuid.UUID]
    vip: Segment
    dynamic: list[Segment]
    stamp: int = 1

    def work(self) -> CustomersUnitOfWork:
        return CustomersUnitOfWork.for_tenant(self.db, tenant=self.tenant, source="tests")

    async def figures(self, group: FigureGroup, customer: int, values: dict[str, Any]) -> None:
        """As the consumer applies another service's event: a newer stamp each time."""
        self.stamp += 1
        stamp = NOW.replace(microsecond=self.stamp) if group is FigureGroup.NPS else self.stamp
        async with self.db.transaction(self.tenant) as session:
            await keep_figures(
                session, self.tenant, group, [(self.customers[customer], values, stamp)]
            )


@pytest.fixture(scope="module")
async def loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


@pytest.fixture(scope="module")
async def shop(customers_settings: CustomersSettings) -> AsyncIterator[Shop]:
    db = Database(customers_settings.database_url)
    tenant = f"dynamic-{uuid.uuid4().hex[:8]}"
    made = Shop(db, tenant, [], vip=Segment(uuid.uuid4(), "-", NOW), dynamic=[])
    for index in range(PEOPLE):
        async with made.work() as uow:
            customer = await commands.register_customer(
                uow,
                NewCustomer(
                    phone=f"+7912444000{index}",
                    profile=Profile(first_name=f"Клиент{index}"),
                    registration=Registration(registered_at=NOW, source=RegistrationSource.POS),
                ),
            )
        made.customers.append(customer.id)
    async with made.work() as uow:
        made.vip = await commands.create_segment(uow, "VIP")
    filters = {
        "rich": ClientFilter(bonus_balance_min=Decimal("500")),
        "active buyers": ClientFilter(purchases_min=3, has_messenger=True),
        "unhappy, not VIP": ClientFilter(nps_max=6, not_in_segment_ids=(made.vip.id,)),
    }
    for name, wanted in filters.items():
        async with made.work() as uow:
            made.dynamic.append(await commands.create_segment(uow, name, wanted))
    yield made
    await db.dispose()


async def assert_members_follow_filters(shop: Shop) -> None:
    async with shop.work() as uow:
        sizes = await uow.segments.counts([segment.id for segment in shop.dynamic])
        for segment in shop.dynamic:
            assert segment.filter is not None
            rows = await uow.client_list.page(segment.filter, ClientOrder(), 50, None, NOW.date())
            matching = {customer.id for customer, _ in rows}
            assert set(await uow.segments.members(segment.id)) == matching, segment.name
            assert sizes.get(segment.id, 0) == len(matching), segment.name


CHANGES = st.one_of(
    st.tuples(st.just("balance"), st.integers(0, PEOPLE - 1), st.integers(0, 1000)),
    st.tuples(st.just("purchases"), st.integers(0, PEOPLE - 1), st.integers(0, 6)),
    st.tuples(
        st.just("messenger"), st.integers(0, PEOPLE - 1), st.sampled_from(["ACTIVE", "INACTIVE"])
    ),
    st.tuples(st.just("nps"), st.integers(0, PEOPLE - 1), st.integers(0, 10)),
    st.tuples(st.just("vip"), st.integers(0, PEOPLE - 1), st.booleans()),
)


async def apply(shop: Shop, change: tuple[str, int, Any]) -> None:
    kind, customer, value = change
    if kind == "balance":
        balance = {"bonus_balance": Decimal(value), "bonuses_expiring_at": None}
        await shop.figures(FigureGroup.BONUS_BALANCE, customer, balance)
    elif kind == "purchases":
        figures = {
            "purchases": value,
            "revenue": Decimal(value * 100),
            "average_check": Decimal(100 if value else 0),
            "last_purchase_at": NOW if value else None,
        }
        await shop.figures(FigureGroup.PURCHASES, customer, figures)
    elif kind == "messenger":
        picture = {"messenger_status": value, "default_channel": "TELEGRAM"}
        await shop.figures(FigureGroup.MESSENGERS, customer, picture)
    elif kind == "nps":
        await shop.figures(FigureGroup.NPS, customer, {"last_nps_score": value})
    else:
        act = commands.assign_segments if value else commands.unassign_segments
        async with shop.work() as uow:
            await act(uow, shop.customers[customer], [shop.vip.id])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stream=st.lists(CHANGES, min_size=1, max_size=12))
def test_members_stay_equal_to_the_filter_under_a_random_stream_of_changes(
    loop: asyncio.AbstractEventLoop, shop: Shop, stream: list[tuple[str, int, Any]]
) -> None:
    async def run() -> None:
        for change in stream:
            await apply(shop, change)
        await assert_members_follow_filters(shop)

    loop.run_until_complete(run())


async def test_a_new_dynamic_segment_starts_with_its_matches_and_announces_them(
    shop: Shop,
) -> None:
    # Above any balance the random stream gives, so customer 0 is the one match.
    rich = {"bonus_balance": Decimal("5000"), "bonuses_expiring_at": None}
    await shop.figures(FigureGroup.BONUS_BALANCE, 0, rich)
    async with shop.work() as uow:
        big = await commands.create_segment(
            uow, f"big {uuid.uuid4().hex[:4]}", ClientFilter(bonus_balance_min=Decimal("2000"))
        )
    async with shop.db.transaction(shop.tenant) as session:
        announced = await session.execute(
            sa.text(
                "SELECT data->>'customerId', data->'segments' FROM outbox WHERE tenant_id = :t "
                "AND event_type = 'customers.customer.segments.changed.v1' ORDER BY seq DESC"
            ),
            {"t": shop.tenant},
        )
        latest = announced.first()
    assert latest is not None
    assert latest[0] == str(shop.customers[0])
    assert big.id in {uuid.UUID(segment["id"]) for segment in latest[1]}
    async with shop.work() as uow:
        assert await uow.segments.members(big.id) == [shop.customers[0]]


async def test_a_dynamic_segment_is_not_assigned_by_hand_nor_named_by_another(
    shop: Shop,
) -> None:
    rich = shop.dynamic[0]
    async with shop.work() as uow:
        with pytest.raises(InvalidInput):
            await commands.assign_segments(uow, shop.customers[1], [rich.id])
    async with shop.work() as uow:
        with pytest.raises(InvalidInput):
            await commands.create_segment(uow, "of rich", ClientFilter(segment_ids=(rich.id,)))
    async with shop.work() as uow:
        with pytest.raises(InvalidInput):
            await commands.create_segment(uow, "of none", ClientFilter(segment_ids=(uuid.uuid4(),)))


async def test_the_periodic_recheck_brings_every_dynamic_segment_back_to_its_filter(
    shop: Shop,
) -> None:
    # What the clock moves (birthdays, bonuses burning) changes nothing in the rows, so
    # the job re-checks whole segments: here a membership row lost behind the service's
    # back stands for a customer whose birthday window just opened.
    rich = shop.dynamic[0]
    await shop.figures(
        FigureGroup.BONUS_BALANCE, 2, {"bonus_balance": Decimal("700"), "bonuses_expiring_at": None}
    )
    async with shop.db.transaction(shop.tenant) as session:
        await session.execute(
            sa.text("DELETE FROM customer_segments WHERE segment_id = :s AND customer_id = :c"),
            {"s": rich.id, "c": shop.customers[2]},
        )
    async with shop.db.transaction() as session:
        assert shop.tenant in await tenants_with_dynamic_segments(session)
    async with shop.work() as uow:
        await commands.recheck_dynamic_segments(uow)
    async with shop.work() as uow:
        assert shop.customers[2] in await uow.segments.members(rich.id)
    await assert_members_follow_filters(shop)
