"""A running bonuses service on the real PostgreSQL and Kafka, called over ASGI."""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from clientcard_bonuses.service import SERVICE
from clientcard_bonuses.settings import BonusesSettings
from clientcard_kit.db import Database
from clientcard_kit.testing import service_fixtures, service_settings


@pytest.fixture(scope="session")
async def bonuses_settings(postgres_server: Any, kafka_server: Any) -> BonusesSettings:
    return await service_settings(
        BonusesSettings, SERVICE.migrations, postgres_server, kafka_server
    )


app, client, as_tenant = service_fixtures(SERVICE, "bonuses_settings", confirms_customers=True)


@pytest.fixture
async def db(bonuses_settings: BonusesSettings) -> AsyncIterator[Database]:
    """A pool of the test's own, beside the app's (as a second replica would have)."""
    database = Database(bonuses_settings.database_url, pool_size=20, max_overflow=20)
    try:
        yield database
    finally:
        await database.dispose()
