"""A running messaging service on the real PostgreSQL and Kafka, called over ASGI, with a
local stand-in for the Telegram Bot API."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pydantic import SecretStr

from clientcard_contracts.topics import TOPICS
from clientcard_kit.app import create_service_app
from clientcard_kit.auth import issue_dev_token
from clientcard_kit.db import migrations
from clientcard_messaging.service import SERVICE
from clientcard_messaging.settings import MessagingSettings, TelegramBot

from .bot_api import BotApi, serve_bot_api

TELEGRAM_TENANT = "tg-salon"
BOT_TOKEN = "7000000001:AAH-test-token"
WEBHOOK_SECRET = "webhook-secret-1"


@pytest.fixture(scope="session")
async def bot_api() -> AsyncIterator[BotApi]:
    async with serve_bot_api(BOT_TOKEN) as api:
        yield api


@pytest.fixture(scope="session")
async def messaging_settings(
    postgres_server: Any, kafka_server: Any, bot_api: BotApi
) -> MessagingSettings:
    url = postgres_server.create_database("messaging_tests")
    migrations.upgrade(SERVICE.migrations, url)
    await kafka_server.create_topics(list(TOPICS))
    return MessagingSettings(
        database_url=url,
        kafka_bootstrap_servers=kafka_server.bootstrap_servers,
        environment="test",
        kafka_consumer_group="messaging-tests",
        telegram_bots={
            TELEGRAM_TENANT: TelegramBot(
                token=SecretStr(BOT_TOKEN),
                webhook_secret=SecretStr(WEBHOOK_SECRET),
                base_url=bot_api.url,
                # Slow enough that a mailing of a few dozen is still going when cancelled.
                messages_per_second=4,
            )
        },
        # Small batches: a mailing of a few hundred takes several ticks, shared by replicas.
        send_batch_size=50,
        send_retry_base_seconds=0.2,
        send_retry_max_seconds=2.0,
        send_max_attempts=3,
        nps_survey_delay_minutes=0,
        nps_survey_period_days=30,
        reply_window_hours=1,
    )


@pytest.fixture(scope="session")
async def app(messaging_settings: MessagingSettings) -> AsyncIterator[Any]:
    application = create_service_app(SERVICE, messaging_settings)
    async with LifespanManager(application, startup_timeout=60, shutdown_timeout=60):
        yield application


class Caller:
    """GraphQL over HTTP as one member of staff of one merchant."""

    def __init__(self, client: httpx.AsyncClient, tenant: str, role: str) -> None:
        self._client = client
        self.tenant = tenant
        token = issue_dev_token(tenant=tenant, role=role, subject=f"{role.lower()}@{tenant}")
        self._headers = {"authorization": f"Bearer {token}"}

    async def __call__(self, query: str, **variables: object) -> dict[str, Any]:
        response = await self._client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self._headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, **variables: object) -> dict[str, Any]:
        result = await self(query, **variables)
        assert "errors" not in result, result
        data: dict[str, Any] = result["data"]
        return data


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://messaging") as http:
        yield http


@pytest.fixture
def as_tenant(client: httpx.AsyncClient) -> Any:
    def caller(tenant: str, role: str = "MANAGER") -> Caller:
        return Caller(client, tenant, role)

    return caller


def tenant() -> str:
    return f"salon-{uuid.uuid4().hex[:8]}"
