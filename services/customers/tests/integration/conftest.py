"""A running customers service on the real PostgreSQL and Kafka, called over ASGI."""

from typing import Any

import pytest

from clientcard_customers.service import SERVICE
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.testing import service_fixtures, service_settings


@pytest.fixture(scope="session")
async def customers_settings(postgres_server: Any, kafka_server: Any) -> CustomersSettings:
    return await service_settings(
        CustomersSettings, SERVICE.migrations, postgres_server, kafka_server
    )


app, client, as_tenant = service_fixtures(SERVICE, "customers_settings")
