"""A running messaging service on the real PostgreSQL and Kafka, called over ASGI, with
local stand-ins for the Telegram Bot API and the VK API."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import SecretStr

from clientcard_kit.testing import StaffCaller, service_fixtures, service_settings
from clientcard_messaging.service import SERVICE
from clientcard_messaging.settings import MessagingSettings, TelegramBot, VkCommunity

from .bot_api import BotApi, serve_bot_api
from .vk_api import VkApi, serve_vk_api

TELEGRAM_TENANT = "tg-salon"
BOT_TOKEN = "7000000001:AAH-test-token"
WEBHOOK_SECRET = "webhook-secret-1"
VK_TENANT = "vk-salon"
VK_GROUP = 218000001
VK_TOKEN = "vk1.a.community-token"
VK_SECRET = "callback-secret-1"
VK_CONFIRMATION = "3f1c9a2b"
# A tenant whose community token VK does not take (revoked, mistyped).
VK_REVOKED_TENANT = "vk-revoked"


@pytest.fixture(scope="session")
async def bot_api() -> AsyncIterator[BotApi]:
    async with serve_bot_api(BOT_TOKEN) as api:
        yield api


@pytest.fixture(scope="session")
async def vk_api() -> AsyncIterator[VkApi]:
    async with serve_vk_api(VK_TOKEN) as api:
        yield api


def vk_community(api: VkApi, group_id: int, token: str) -> VkCommunity:
    return VkCommunity(
        group_id=group_id,
        token=SecretStr(token),
        confirmation_code=VK_CONFIRMATION,
        secret_key=SecretStr(VK_SECRET),
        base_url=api.url,
    )


@pytest.fixture(scope="session")
async def messaging_settings(
    postgres_server: Any, kafka_server: Any, bot_api: BotApi, vk_api: VkApi
) -> MessagingSettings:
    return await service_settings(
        MessagingSettings,
        SERVICE.migrations,
        postgres_server,
        kafka_server,
        telegram_bots={
            TELEGRAM_TENANT: TelegramBot(
                token=SecretStr(BOT_TOKEN),
                webhook_secret=SecretStr(WEBHOOK_SECRET),
                base_url=bot_api.url,
                # Slow enough that a mailing of a few dozen is still going when cancelled.
                messages_per_second=4,
            )
        },
        vk_communities={
            VK_TENANT: vk_community(vk_api, VK_GROUP, VK_TOKEN),
            VK_REVOKED_TENANT: vk_community(vk_api, VK_GROUP + 1, "vk1.a.revoked"),
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


app, client, as_tenant = service_fixtures(SERVICE, "messaging_settings", confirms_customers=True)


def tenant() -> str:
    return f"salon-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def customer(customers_service: Any) -> Any:
    """A new customer of the caller's merchant, registered with the customers service."""

    async def registered(caller: StaffCaller) -> str:
        return str(await customers_service.register(caller.tenant))

    return registered
