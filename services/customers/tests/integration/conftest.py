"""A running customers service on the real PostgreSQL and Kafka, called over ASGI."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from clientcard_contracts.topics import TOPICS
from clientcard_customers.service import SERVICE
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.app import create_service_app
from clientcard_kit.auth import issue_dev_token
from clientcard_kit.db import migrations


@pytest.fixture(scope="session")
async def customers_settings(postgres_server: Any, kafka_server: Any) -> CustomersSettings:
    url = postgres_server.create_database("customers_tests")
    migrations.upgrade(SERVICE.migrations, url)
    await kafka_server.create_topics(list(TOPICS))
    return CustomersSettings(
        database_url=url,
        kafka_bootstrap_servers=kafka_server.bootstrap_servers,
        environment="test",
        kafka_consumer_group="customers-tests",
    )


@pytest.fixture(scope="session")
async def app(customers_settings: CustomersSettings) -> AsyncIterator[Any]:
    application = create_service_app(SERVICE, customers_settings)
    async with LifespanManager(application, startup_timeout=60, shutdown_timeout=60):
        yield application


class Caller:
    """GraphQL over HTTP as one member of staff of one merchant."""

    def __init__(self, client: httpx.AsyncClient, tenant: str, role: str) -> None:
        self._client = client
        token = issue_dev_token(tenant=tenant, role=role, subject=f"{role.lower()}@{tenant}")
        self._headers = {"authorization": f"Bearer {token}"}

    async def __call__(self, query: str, **variables: object) -> dict[str, Any]:
        response = await self._client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self._headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://customers") as http:
        yield http


@pytest.fixture
def as_tenant(client: httpx.AsyncClient) -> Any:
    def caller(tenant: str, role: str = "MANAGER") -> Caller:
        return Caller(client, tenant, role)

    return caller
