"""Every filter and order of the client list, on the repository against real PostgreSQL."""

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers import commands
from clientcard_customers.db import client_search
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import (
    ClientFilter,
    ClientOrder,
    Direction,
    NpsCategory,
    OrderField,
    Position,
)
from clientcard_customers.domain.profile import NewCustomer, Profile, ProfileChanges, Registration
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database

from .list_people import NOW, TODAY, names, seeded_fixture

pytestmark = pytest.mark.integration

seeded = seeded_fixture()


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        (ClientFilter(), ["Анна", "Борис", "Вера", "Глеб"]),
        (ClientFilter(search="глеб"), ["Глеб"]),
        (ClientFilter(search="5550001"), ["Борис"]),
        (ClientFilter(search="2@example"), ["Вера"]),
        (ClientFilter(gender=Gender.FEMALE), ["Анна", "Вера"]),
        (ClientFilter(registered_from=NOW - timedelta(days=100)), ["Анна", "Вера"]),
        (ClientFilter(registered_to=NOW - timedelta(days=100)), ["Борис", "Глеб"]),
        (ClientFilter(purchases_min=1, purchases_max=5), ["Анна", "Борис"]),
        (ClientFilter(revenue_min=Decimal("1000")), ["Анна", "Глеб"]),
        (ClientFilter(average_check_max=Decimal("800")), ["Борис", "Вера"]),
        (ClientFilter(last_purchase_from=NOW - timedelta(days=6)), ["Анна", "Борис"]),
        (ClientFilter(last_purchase_to=NOW - timedelta(days=6)), ["Глеб"]),
        (
            ClientFilter(bonus_balance_min=Decimal("50"), bonus_balance_max=Decimal("200")),
            ["Анна", "Вера"],
        ),
        (ClientFilter(messenger_status="ACTIVE"), ["Анна", "Глеб"]),
        (ClientFilter(channel="SMS"), ["Борис"]),
        (ClientFilter(nps_min=8), ["Анна", "Глеб"]),
        (ClientFilter(nps_max=6), ["Борис"]),
        (ClientFilter(birthday_within_days=7), ["Анна"]),
        (ClientFilter(birthday_within_days=30), ["Анна", "Глеб"]),
        (
            ClientFilter(gender=Gender.MALE, messenger_status="ACTIVE", revenue_min=Decimal("1")),
            ["Глеб"],
        ),
        (ClientFilter(outlet_ids=("center",)), ["Анна", "Глеб"]),
        (ClientFilter(outlet_ids=("mall", "nowhere")), ["Борис"]),
        (ClientFilter(registration_sources=(RegistrationSource.POS,)), ["Анна", "Глеб"]),
        (
            ClientFilter(
                registration_sources=(RegistrationSource.MANUAL, RegistrationSource.MESSENGER)
            ),
            ["Борис", "Вера"],
        ),
        (ClientFilter(has_messenger=True), ["Анна", "Глеб"]),
        (ClientFilter(has_messenger=False), ["Борис", "Вера"]),
        (ClientFilter(birth_month=6), ["Анна", "Глеб"]),
        (ClientFilter(birth_month=1), ["Борис"]),
        (ClientFilter(birth_month=12), []),
        (ClientFilter(nps_category=NpsCategory.PROMOTER), ["Анна"]),
        (ClientFilter(nps_category=NpsCategory.PASSIVE), ["Глеб"]),
        (ClientFilter(nps_category=NpsCategory.DETRACTOR), ["Борис"]),
        (ClientFilter(nps_category=NpsCategory.NONE), ["Вера"]),
        (
            ClientFilter(
                outlet_ids=("center",), has_messenger=True, birth_month=6, gender=Gender.MALE
            ),
            ["Глеб"],
        ),
    ],
)
async def test_each_filter_and_their_combination(
    seeded: Any, wanted: ClientFilter, expected: list[str]
) -> None:
    assert await names(seeded, wanted) == expected


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (ClientOrder(OrderField.REGISTERED_AT, Direction.DESC), ["Вера", "Анна", "Борис", "Глеб"]),
        (ClientOrder(OrderField.REVENUE, Direction.DESC), ["Глеб", "Анна", "Борис", "Вера"]),
        (ClientOrder(OrderField.PURCHASES, Direction.ASC), ["Вера", "Борис", "Анна", "Глеб"]),
        (ClientOrder(OrderField.BONUS_BALANCE, Direction.DESC), ["Глеб", "Анна", "Вера", "Борис"]),
        (
            ClientOrder(OrderField.LAST_PURCHASE_AT, Direction.DESC),
            ["Борис", "Анна", "Глеб", "Вера"],
        ),
        (ClientOrder(OrderField.NAME, Direction.DESC), ["Глеб", "Вера", "Борис", "Анна"]),
        (ClientOrder(OrderField.AVERAGE_CHECK, Direction.DESC), ["Глеб", "Анна", "Борис", "Вера"]),
        (ClientOrder(OrderField.LAST_NPS_SCORE, Direction.DESC), ["Анна", "Глеб", "Борис", "Вера"]),
        (ClientOrder(OrderField.LAST_NPS_SCORE, Direction.ASC), ["Вера", "Борис", "Глеб", "Анна"]),
        # On 10 June: 12 June, 30 June, then 3 January of next year, then no birth date.
        (ClientOrder(OrderField.NEXT_BIRTHDAY, Direction.ASC), ["Анна", "Глеб", "Борис", "Вера"]),
        (ClientOrder(OrderField.NEXT_BIRTHDAY, Direction.DESC), ["Вера", "Борис", "Глеб", "Анна"]),
    ],
)
async def test_each_order(seeded: Any, order: ClientOrder, expected: list[str]) -> None:
    assert await names(seeded, ClientFilter(), order) == expected


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("size", [1, 2, 3])
async def test_next_birthday_order_pages_through_every_run_once(
    seeded: Any, direction: Direction, size: int
) -> None:
    db, tenant, ids = seeded
    by_id = {customer_id: name for name, customer_id in ids.items()}
    order = ClientOrder(OrderField.NEXT_BIRTHDAY, direction)
    whole = await names(seeded, ClientFilter(), order)
    seen: list[str] = []
    after = None
    while True:
        async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
            rows = await uow.client_list.page(ClientFilter(), order, size, after, TODAY)
        seen.extend(by_id[customer.id] for customer, _ in rows[:size])
        if len(rows) <= size:
            break
        after = Position.decode(rows[size - 1][1].encode(), order)
    assert seen == whole


async def test_next_birthday_order_keeps_the_filter(seeded: Any) -> None:
    order = ClientOrder(OrderField.NEXT_BIRTHDAY, Direction.ASC)
    assert await names(seeded, ClientFilter(gender=Gender.MALE), order) == ["Глеб", "Борис"]
    assert await names(seeded, ClientFilter(gender=Gender.FEMALE), order) == ["Анна", "Вера"]


async def test_a_segment_filter_matches_any_of_the_segments_and_none_of_the_left_out(
    seeded: Any,
) -> None:
    db, tenant, ids = seeded
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
        regulars = await commands.create_segment(uow, f"regulars {uuid.uuid4().hex[:4]}")
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
        others = await commands.create_segment(uow, f"others {uuid.uuid4().hex[:4]}")
    for name, segment in (("Анна", regulars), ("Глеб", others), ("Борис", regulars)):
        async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
            await commands.assign_segments(uow, ids[name], [segment.id])
    assert await names(seeded, ClientFilter(segment_ids=(regulars.id,))) == ["Анна", "Борис"]
    assert await names(seeded, ClientFilter(segment_ids=(regulars.id, others.id))) == [
        "Анна",
        "Борис",
        "Глеб",
    ]
    # In none of them: everyone else, whatever other segments they are in.
    outside = ClientFilter(not_in_segment_ids=(regulars.id,))
    assert await names(seeded, outside) == ["Вера", "Глеб"]
    outside_both = ClientFilter(not_in_segment_ids=(regulars.id, others.id))
    assert await names(seeded, outside_both) == ["Вера"]
    mixed = ClientFilter(segment_ids=(others.id,), not_in_segment_ids=(regulars.id,))
    assert await names(seeded, mixed) == ["Глеб"]


@pytest.mark.parametrize("few_matches", [20_000, -1], ids=["trigram-first", "walk-the-order"])
async def test_search_follows_renames_and_erasure_and_stays_in_the_tenant(
    customers_settings: CustomersSettings, monkeypatch: pytest.MonkeyPatch, few_matches: int
) -> None:
    # Both ways the search can take (see `db.client_search`) must find the same customers.
    monkeypatch.setattr(client_search, "FEW_MATCHES", few_matches)
    db = Database(customers_settings.database_url)
    first, second = f"search-a-{uuid.uuid4().hex[:6]}", f"search-b-{uuid.uuid4().hex[:6]}"

    async def register(tenant: str, phone: str) -> uuid.UUID:
        async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
            customer = await commands.register_customer(
                uow,
                NewCustomer(
                    phone=phone,
                    profile=Profile(first_name="Зинаида", last_name="Колесникова"),
                    registration=Registration(registered_at=NOW, source=RegistrationSource.MANUAL),
                ),
            )
        return customer.id

    async def found(tenant: str, text: str) -> list[uuid.UUID]:
        async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
            rows = await uow.client_list.page(
                ClientFilter(search=text), ClientOrder(), 50, None, TODAY
            )
            assert await uow.client_list.count(ClientFilter(search=text), TODAY) == len(rows)
        return [customer.id for customer, _ in rows]

    mine = await register(first, "+79125559901")
    theirs = await register(second, "+79125559902")
    assert await found(first, "колесник") == [mine]
    assert await found(second, "КОЛЕСНИК") == [theirs]
    assert await found(first, "5559902") == []  # the other tenant's phone
    assert await found(first, "%") == []  # a LIKE wildcard is a plain character

    async with CustomersUnitOfWork.for_tenant(db, tenant=first, source="tests") as uow:
        await commands.update_customer(uow, mine, ProfileChanges({"last_name": "Орлова"}))
    assert await found(first, "колесник") == []
    assert await found(first, "орлов") == [mine]

    async with CustomersUnitOfWork.for_tenant(db, tenant=first, source="tests") as uow:
        await commands.erase_customer(uow, mine)
    assert await found(first, "зинаида") == []
    assert await found(second, "зинаида") == [theirs]
    await db.dispose()
