"""A running customers service on the real PostgreSQL and Kafka, called over ASGI."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from clientcard_customers.service import SERVICE
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.app import create_service_app
from clientcard_kit.testing import StaffCaller, service_settings, serving, started


@pytest.fixture(scope="session")
async def customers_settings(postgres_server: Any, kafka_server: Any) -> CustomersSettings:
    return await service_settings(
        CustomersSettings, SERVICE.migrations, postgres_server, kafka_server
    )


# Package scope: the app's consumers stop when its tests are done, so they never take
# events meant for the services that later tests (end to end) run as processes.
@pytest.fixture(scope="package")
async def app(customers_settings: CustomersSettings) -> AsyncIterator[Any]:
    async with started(create_service_app(SERVICE, customers_settings)) as application:
        yield application


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(app, "customers") as http:
        yield http


@pytest.fixture
def as_tenant(client: httpx.AsyncClient) -> Any:
    def caller(tenant: str, role: str = "MANAGER") -> StaffCaller:
        return StaffCaller(client, tenant, role)

    return caller
