"""Every filter and order of the client list, on the repository against real PostgreSQL."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers import commands
from clientcard_customers.db import client_list
from clientcard_customers.db.figures import FigureGroup
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import (
    ClientFilter,
    ClientOrder,
    Direction,
    OrderField,
)
from clientcard_customers.domain.profile import NewCustomer, Profile, ProfileChanges, Registration
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database

pytestmark = pytest.mark.integration

TODAY = date(2026, 6, 10)
NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)

# name, gender, birth date, registered days ago, purchases, revenue, balance, status, channel, nps
PEOPLE = [
    (
        "Анна",
        Gender.FEMALE,
        date(1990, 6, 12),
        30,
        5,
        "5000.00",
        "120.00",
        "ACTIVE",
        "TELEGRAM",
        10,
    ),
    ("Борис", Gender.MALE, date(1985, 1, 3), 200, 1, "700.00", "0.00", "INACTIVE", "SMS", 3),
    ("Вера", Gender.FEMALE, None, 5, 0, "0.00", "50.00", None, None, None),
    (
        "Глеб",
        Gender.MALE,
        date(2000, 6, 30),
        400,
        12,
        "36000.00",
        "900.00",
        "ACTIVE",
        "WHATSAPP",
        8,
    ),
]


@pytest.fixture(scope="module")
async def seeded(
    customers_settings: CustomersSettings,
) -> AsyncIterator[tuple[Database, str, dict[str, uuid.UUID]]]:
    db = Database(customers_settings.database_url)
    tenant = f"list-{uuid.uuid4().hex[:8]}"
    ids: dict[str, uuid.UUID] = {}
    for index, (
        name,
        gender,
        born,
        days,
        purchases,
        revenue,
        balance,
        status,
        channel,
        nps,
    ) in enumerate(PEOPLE):
        async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
            customer = await commands.register_customer(
                uow,
                NewCustomer(
                    phone=f"+7912555000{index}",
                    profile=Profile(
                        first_name=name,
                        last_name="Тестова",
                        birth_date=born,
                        gender=gender,
                        email=f"{index}@example.ru",
                    ),
                    registration=Registration(
                        registered_at=NOW - timedelta(days=days), source=RegistrationSource.MANUAL
                    ),
                ),
            )
        ids[name] = customer.id
        async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
            average = Decimal(revenue) / purchases if purchases else Decimal("0")
            last = NOW - timedelta(days=purchases) if purchases else None
            await uow.figures.apply(
                customer.id,
                FigureGroup.PURCHASES,
                {
                    "purchases": purchases,
                    "revenue": Decimal(revenue),
                    "average_check": average.quantize(Decimal("0.01")),
                    "last_purchase_at": last,
                },
                1,
            )
            await uow.figures.apply(
                customer.id, FigureGroup.BONUS_BALANCE, {"bonus_balance": Decimal(balance)}, 1
            )
            await uow.figures.apply(
                customer.id,
                FigureGroup.MESSENGERS,
                {"messenger_status": status, "default_channel": channel},
                1,
            )
            if nps is not None:
                await uow.figures.apply(customer.id, FigureGroup.NPS, {"last_nps_score": nps}, NOW)
            await uow.commit()
    yield db, tenant, ids
    await db.dispose()


async def names(seeded: Any, wanted: ClientFilter, order: ClientOrder | None = None) -> list[str]:
    db, tenant, ids = seeded
    by_id = {customer_id: name for name, customer_id in ids.items()}
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
        rows = await uow.client_list.page(
            wanted, order or ClientOrder(OrderField.NAME, Direction.ASC), 50, None, TODAY
        )
        assert await uow.client_list.count(wanted, TODAY) == len(rows)
    return [by_id[customer.id] for customer, _ in rows]


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
    ],
)
async def test_each_order(seeded: Any, order: ClientOrder, expected: list[str]) -> None:
    assert await names(seeded, ClientFilter(), order) == expected


async def test_a_segment_filter_matches_any_of_the_segments(seeded: Any) -> None:
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


@pytest.mark.parametrize("few_matches", [20_000, -1], ids=["trigram-first", "walk-the-order"])
async def test_search_follows_renames_and_erasure_and_stays_in_the_tenant(
    customers_settings: CustomersSettings, monkeypatch: pytest.MonkeyPatch, few_matches: int
) -> None:
    # Both ways the search can take (see `db.client_list`) must find the same customers.
    monkeypatch.setattr(client_list, "FEW_MATCHES", few_matches)
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
