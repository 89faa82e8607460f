"""The customers the count tests know: two tenants holding the same kinds of customers
with the same surnames, made through the service's own commands, with their figures."""

import itertools
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers import commands
from clientcard_customers.db.figures import FigureGroup
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.profile import NewCustomer, Profile, Registration
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database

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
        person.id,
        FigureGroup.BONUS_BALANCE,
        {"bonus_balance": person.balance, "bonuses_expiring_at": None},
        stamp,
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


def tenants_fixture() -> Any:
    """The module's `tenants`: mine and theirs, filled once for the tests of a module (they
    change the customers in turn). Bind it in a test module: `tenants = tenants_fixture()`."""

    @pytest.fixture(scope="module")
    async def tenants(
        customers_settings: CustomersSettings,
    ) -> AsyncIterator[tuple[Tenant, Tenant]]:
        db = Database(customers_settings.database_url)
        suffix = uuid.uuid4().hex[:6]
        mine = await populate(db, f"paths-a-{suffix}", every=1)
        # The same kinds of customers with the same surnames, fewer of them: a count that
        # saw them would be off.
        theirs = await populate(db, f"paths-b-{suffix}", every=2)
        yield mine, theirs
        await db.dispose()

    return tenants
