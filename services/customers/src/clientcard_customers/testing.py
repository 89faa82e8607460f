"""The customers service as other services' tests meet it: running, in their process.

Bonuses, messaging and receipts ask the customers service whether a customer exists
(see the kit's `CustomerDirectory`). Their tests run this real service on its own
database and call it over ASGI; neither its consumers nor its outbox relay run, so a
customer registered here reaches the other service only through that question, which is
exactly the moment right after a registration that the question is for.
"""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from clientcard_customers.service import SERVICE
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.app import create_service_app
from clientcard_kit.db import migrations
from clientcard_kit.internal import ServiceClient
from clientcard_kit.runtime import ServiceRuntime
from clientcard_kit.testing import StaffCaller, started

REGISTER = """mutation($i: RegisterCustomerInput!) { registerCustomer(input: $i) { id } }"""
CHANGE_PHONE = """mutation($c: ID!, $p: String!) { updateCustomer(id: $c, input: {phone: $p}) {
  id } }"""
MERGE = """mutation($s: ID!, $d: ID!) { mergeCustomers(survivorId: $s, duplicateId: $d) { id } }"""
DATABASE = "customers_directory_tests"


class CustomersForTests:
    def __init__(self, app: Any) -> None:
        self.app = app
        self._http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://customers"
        )

    @classmethod
    @asynccontextmanager
    async def started(cls, postgres_server: Any, kafka_bootstrap: str) -> AsyncIterator[Any]:
        url = postgres_server.create_database(DATABASE)
        migrations.upgrade(SERVICE.migrations, url)
        settings = CustomersSettings(
            database_url=url,
            kafka_bootstrap_servers=kafka_bootstrap,
            environment="test",
            consumers_enabled=False,
            outbox_relay_enabled=False,
        )
        async with started(create_service_app(SERVICE, settings)) as app:
            service = cls(app)
            try:
                yield service
            finally:
                await service._http.aclose()

    async def register(self, tenant: str, phone: str | None = None) -> uuid.UUID:
        """A new customer of the tenant, as staff register one; returns the id."""
        phone = phone or f"+7916{uuid.uuid4().int % 10**7:07d}"
        caller = StaffCaller(self._http, tenant, "MANAGER")
        data = await caller.data(REGISTER, i={"phone": phone, "firstName": "Тест"})
        return uuid.UUID(data["registerCustomer"]["id"])

    async def change_phone(self, tenant: str, customer: uuid.UUID, phone: str) -> None:
        """Give the customer another phone, as staff do (no event sent, as for `merge`)."""
        caller = StaffCaller(self._http, tenant, "MANAGER")
        await caller.data(CHANGE_PHONE, c=str(customer), p=phone)

    async def merge(self, tenant: str, survivor: uuid.UUID, duplicate: uuid.UUID) -> None:
        """Merge the duplicate into the survivor, as staff do (the event is not sent: this
        service's relay is off, so the other services have not heard of it)."""
        caller = StaffCaller(self._http, tenant, "MANAGER")
        await caller.data(MERGE, s=str(survivor), d=str(duplicate))

    def serve(self, runtime: ServiceRuntime) -> None:
        """Make the other service's runtime ask this one for customers."""
        client = ServiceClient(
            runtime.settings.customers_url,
            runtime.internal_tokens,
            timeout=runtime.settings.internal_timeout_seconds,
            transport=httpx.ASGITransport(app=self.app),
        )
        runtime.use_client(runtime.settings.customers_url, client)
