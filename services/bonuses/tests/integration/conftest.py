"""A running bonuses service on the real PostgreSQL and Kafka, called over ASGI."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from clientcard_bonuses.service import SERVICE
from clientcard_bonuses.settings import BonusesSettings
from clientcard_kit.app import create_service_app
from clientcard_kit.db import Database
from clientcard_kit.testing import StaffCaller, service_settings, serving, started


@pytest.fixture(scope="session")
async def bonuses_settings(postgres_server: Any, kafka_server: Any) -> BonusesSettings:
    return await service_settings(
        BonusesSettings, SERVICE.migrations, postgres_server, kafka_server
    )


# Package scope: the app's consumers stop when its tests are done, so they never take
# events meant for the services that later tests (end to end) run as processes.
@pytest.fixture(scope="package")
async def app(bonuses_settings: BonusesSettings, customers_service: Any) -> AsyncIterator[Any]:
    application = create_service_app(SERVICE, bonuses_settings)
    # Customers it does not know yet are confirmed by the real customers service.
    customers_service.serve(application.state.runtime)
    async with started(application):
        yield application


@pytest.fixture
async def db(bonuses_settings: BonusesSettings) -> AsyncIterator[Database]:
    """A pool of the test's own, beside the app's (as a second replica would have)."""
    database = Database(bonuses_settings.database_url, pool_size=20, max_overflow=20)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(app, "bonuses") as http:
        yield http


@pytest.fixture
def as_tenant(client: httpx.AsyncClient) -> Any:
    def caller(tenant: str, role: str = "MANAGER") -> StaffCaller:
        return StaffCaller(client, tenant, role)

    return caller
