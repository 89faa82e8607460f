"""A running messaging service on the real PostgreSQL and Kafka, called over ASGI, with
local stand-ins for the Telegram Bot API, the VK API, the WhatsApp Cloud API and SMSC."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import SecretStr

from clientcard_contracts.enums import Channel
from clientcard_devstack.provider_doubles.smsc import SmscApi, serve_smsc_api
from clientcard_devstack.provider_doubles.telegram import BotApi, serve_bot_api
from clientcard_devstack.provider_doubles.vk import VkApi, serve_vk_api
from clientcard_devstack.provider_doubles.whatsapp import CloudApi, serve_cloud_api
from clientcard_kit.testing import StaffCaller, service_fixtures, service_settings
from clientcard_messaging.service import SERVICE
from clientcard_messaging.settings import (
    MessagingSettings,
    SmscAccount,
    TelegramBot,
    VkCommunity,
    WhatsAppNumber,
)

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
WA_TENANT = "wa-salon"
WA_NUMBER = "109000000001"
WA_TOKEN = "EAAG-system-user-token"
WA_APP_SECRET = "app-secret-1"
WA_VERIFY = "verify-token-1"
WA_TEMPLATE = ("salon_notice", "ru")
# A tenant whose WhatsApp template Meta has not approved (or that was deleted).
WA_NO_TEMPLATE_TENANT = "wa-no-template"
WA_PER_SECOND = 10
SMS_TENANT = "sms-salon"
SMS_LOGIN, SMS_PASSWORD = "salon", "smsc-password"
SMS_SECRET = "handler-secret-1"
SMS_PER_SECOND = 10
# A tenant with all four real providers, for a mailing spread over them.
MIXED_TENANT = "four-channels"
# A tenant for whom the sandbox serves Telegram alone: its other channels are not configured.
TELEGRAM_ONLY_TENANT = "telegram-only"


@pytest.fixture(scope="session")
async def bot_api() -> AsyncIterator[BotApi]:
    async with serve_bot_api(BOT_TOKEN) as api:
        yield api


@pytest.fixture(scope="session")
async def vk_api() -> AsyncIterator[VkApi]:
    async with serve_vk_api(VK_TOKEN) as api:
        yield api


@pytest.fixture(scope="session")
async def whatsapp_api() -> AsyncIterator[CloudApi]:
    async with serve_cloud_api({WA_TOKEN}, {WA_TEMPLATE}, per_second=WA_PER_SECOND) as api:
        yield api


@pytest.fixture(scope="session")
async def smsc_api() -> AsyncIterator[SmscApi]:
    async with serve_smsc_api({SMS_LOGIN: SMS_PASSWORD}, per_second=SMS_PER_SECOND) as api:
        yield api


def whatsapp_number(api: CloudApi, number: str, template: str = WA_TEMPLATE[0]) -> WhatsAppNumber:
    return WhatsAppNumber(
        phone_number_id=number,
        token=SecretStr(WA_TOKEN),
        app_secret=SecretStr(WA_APP_SECRET),
        verify_token=SecretStr(WA_VERIFY),
        template_name=template,
        template_language=WA_TEMPLATE[1],
        base_url=api.url,
        messages_per_second=WA_PER_SECOND,
    )


def smsc_account(api: SmscApi, sender: str) -> SmscAccount:
    return SmscAccount(
        login=SMS_LOGIN,
        password=SecretStr(SMS_PASSWORD),
        sender=sender,
        callback_secret=SecretStr(SMS_SECRET),
        base_url=api.url,
        messages_per_second=SMS_PER_SECOND,
    )


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
    postgres_server: Any,
    kafka_server: Any,
    bot_api: BotApi,
    vk_api: VkApi,
    whatsapp_api: CloudApi,
    smsc_api: SmscApi,
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
            ),
            MIXED_TENANT: TelegramBot(
                token=SecretStr(BOT_TOKEN),
                webhook_secret=SecretStr(WEBHOOK_SECRET),
                base_url=bot_api.url,
            ),
        },
        vk_communities={
            VK_TENANT: vk_community(vk_api, VK_GROUP, VK_TOKEN),
            VK_REVOKED_TENANT: vk_community(vk_api, VK_GROUP + 1, "vk1.a.revoked"),
            MIXED_TENANT: vk_community(vk_api, VK_GROUP + 2, VK_TOKEN),
        },
        whatsapp_numbers={
            WA_TENANT: whatsapp_number(whatsapp_api, WA_NUMBER),
            WA_NO_TEMPLATE_TENANT: whatsapp_number(whatsapp_api, "109000000002", "deleted"),
            MIXED_TENANT: whatsapp_number(whatsapp_api, "109000000003"),
        },
        smsc_accounts={
            SMS_TENANT: smsc_account(smsc_api, "Salon"),
            MIXED_TENANT: smsc_account(smsc_api, "Four"),
        },
        sandbox_channels={"*": frozenset(Channel), TELEGRAM_ONLY_TENANT: {Channel.TELEGRAM}},
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
