"""Search as merchants type it, on the client list against real PostgreSQL: both ways the
search can take (`db.client_search`) find exactly the clients meant, pages and counts."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from clientcard_contracts.enums import RegistrationSource
from clientcard_customers import commands
from clientcard_customers.db import client_search
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import ClientFilter, ClientOrder
from clientcard_customers.domain.profile import NewCustomer, Profile, Registration
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database

pytestmark = pytest.mark.integration

TODAY = date(2026, 6, 10)
NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)

# first name, last name, phone, e-mail
CLIENTS = {
    "sergey": ("Сергей", "Тарасов", "+79390991973", "s.tarasov@mail.ru"),
    "olga": ("Ольга", "Фёдорова", "+79161234567", None),
    "look-alike": ("Сергеева", "Тарасова-Римская", "+79390991974", "tarasova@ya.ru"),
    "other": ("Тарас", "Сергеев", "+79031112233", None),
}

SPELLINGS = [
    ("+79390991973", {"sergey"}),
    ("89390991973", {"sergey"}),
    ("9390991973", {"sergey"}),
    ("+7 939 099-19-73", {"sergey"}),
    ("8 (939) 099-19-73", {"sergey"}),
    ("939-099", {"sergey", "look-alike"}),
    ("Сергей Тарасов", {"sergey"}),
    ("Тарасов Сергей", {"sergey"}),
    ("тарасов", {"sergey", "look-alike"}),
    ("Тарасова", {"look-alike"}),
    ("Тарас Сергеев", {"other", "look-alike"}),  # each word starts a name part of both
    ("Федорова", {"olga"}),
    ("Фёдорова", {"olga"}),
    ("Римская", {"look-alike"}),
    ("s.tarasov@", {"sergey"}),
    ("mail.ru", {"sergey"}),
    ("арасов", set()),
    ("89390991975", set()),
]


@pytest.fixture
async def salon(customers_settings: CustomersSettings) -> AsyncIterator[tuple[Database, str]]:
    db = Database(customers_settings.database_url)
    tenant = f"search-{uuid.uuid4().hex[:8]}"
    for first, last, phone, email in CLIENTS.values():
        async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
            await commands.register_customer(
                uow,
                NewCustomer(
                    phone=phone,
                    profile=Profile(first_name=first, last_name=last, email=email),
                    registration=Registration(registered_at=NOW, source=RegistrationSource.POS),
                ),
            )
    yield db, tenant
    await db.dispose()


@pytest.mark.parametrize("few_matches", [20_000, -1], ids=["trigram-first", "walk-the-order"])
async def test_every_spelling_finds_the_clients_meant_and_no_look_alike(
    salon: tuple[Database, str], monkeypatch: pytest.MonkeyPatch, few_matches: int
) -> None:
    monkeypatch.setattr(client_search, "FEW_MATCHES", few_matches)
    db, tenant = salon
    phones = {phone: key for key, (_, _, phone, _) in CLIENTS.items()}
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
        for typed, expected in SPELLINGS:
            wanted = ClientFilter(search=typed)
            rows = await uow.client_list.page(wanted, ClientOrder(), 50, None, TODAY)
            found = {phones[customer.phone] for customer, _ in rows}
            assert found == expected, typed
            assert await uow.client_list.count(wanted, TODAY) == len(expected), typed
