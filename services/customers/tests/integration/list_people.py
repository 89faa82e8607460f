"""The client list's test salon: four customers whose every figure the tests know."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers import commands
from clientcard_customers.db.figures import FigureGroup
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import (
    ClientFilter,
    ClientOrder,
    Direction,
    OrderField,
)
from clientcard_customers.domain.profile import NewCustomer, Profile, Registration
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database

TODAY = date(2026, 6, 10)
NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)

# name, gender, birth date, registered days ago, purchases, revenue, balance, status, channel, nps
# Where each of PEOPLE registered, in the same order.
SOURCES = [
    RegistrationSource.POS,
    RegistrationSource.MANUAL,
    RegistrationSource.MESSENGER,
    RegistrationSource.POS,
]
OUTLETS = ["center", "mall", None, "center"]
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


def seeded_fixture() -> Any:
    """The module's `seeded` salon (database, tenant, ids by name), filled once for the
    tests of a module. Bind it in a test module: `seeded = seeded_fixture()`."""

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
                            registered_at=NOW - timedelta(days=days),
                            source=SOURCES[index],
                            outlet_id=OUTLETS[index],
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
                    customer.id,
                    FigureGroup.BONUS_BALANCE,
                    {"bonus_balance": Decimal(balance), "bonuses_expiring_at": None},
                    1,
                )
                await uow.figures.apply(
                    customer.id,
                    FigureGroup.MESSENGERS,
                    {"messenger_status": status, "default_channel": channel},
                    1,
                )
                if nps is not None:
                    await uow.figures.apply(
                        customer.id, FigureGroup.NPS, {"last_nps_score": nps}, NOW
                    )
                await uow.commit()
        yield db, tenant, ids
        await db.dispose()

    return seeded


async def names(seeded: Any, wanted: ClientFilter, order: ClientOrder | None = None) -> list[str]:
    db, tenant, ids = seeded
    by_id = {customer_id: name for name, customer_id in ids.items()}
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
        rows = await uow.client_list.page(
            wanted, order or ClientOrder(OrderField.NAME, Direction.ASC), 50, None, TODAY
        )
        assert await uow.client_list.count(wanted, TODAY) == len(rows)
    return [by_id[customer.id] for customer, _ in rows]
