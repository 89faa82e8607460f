"""The channels' inbound HTTP endpoints: Telegram's webhook, VK's Callback API,
WhatsApp's webhook (its GET subscription check too), SMSC's handler and the sandbox's
inbox.

Each answers 200 to anything it accepted, including events it ignores (Telegram and VK
redeliver a call until it is acknowledged; VK wants the plain text `ok`), and 4xx to calls
that are not from the provider or cannot be read, with nothing written.
"""

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import PlainTextResponse

from clientcard_contracts.enums import Channel
from clientcard_kit.runtime import ServiceRuntime
from clientcard_messaging.channels.base import Inbound, WebhookRejected
from clientcard_messaging.channels.registry import Providers
from clientcard_messaging.channels.sandbox import parse_sandbox
from clientcard_messaging.channels.sms import SmsProvider
from clientcard_messaging.channels.telegram import TelegramProvider
from clientcard_messaging.channels.vk import VkProvider
from clientcard_messaging.channels.whatsapp import WhatsAppProvider
from clientcard_messaging.commands import inbound
from clientcard_messaging.db.unit_of_work import SOURCE, MessagingUnitOfWork
from clientcard_messaging.settings import MessagingSettings

Tenant = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]


def channel_routers(runtime: ServiceRuntime[MessagingSettings]) -> Sequence[APIRouter]:
    settings = runtime.settings
    providers = Providers(settings)
    router = APIRouter(prefix="/channels", tags=["channels"])

    async def receive(
        tenant: str,
        channel: Channel,
        items: list[Inbound],
        once: inbound.ProviderEvent | None = None,
    ) -> dict[str, bool]:
        if items:
            async with runtime.db.transaction(tenant) as session:
                uow = MessagingUnitOfWork.joining(session, tenant=tenant, source=SOURCE)
                await inbound.receive(uow, settings, channel, items, once)
        return {"ok": True}

    @router.post("/telegram/{tenant}/webhook")
    async def telegram_webhook(tenant: Tenant, request: Request) -> dict[str, bool]:
        bot = providers.telegram_bot(tenant)
        if bot is None:
            raise HTTPException(404, "no Telegram bot is configured for this tenant")
        body = await request.body()
        try:
            items = TelegramProvider(bot).parse_webhook(request.headers, body)
        except WebhookRejected as rejected:
            raise HTTPException(rejected.status_code, rejected.reason) from None
        return await receive(tenant, Channel.TELEGRAM, items)

    @router.post("/vk/{tenant}/callback", response_class=PlainTextResponse)
    async def vk_callback(tenant: Tenant, request: Request) -> str:
        community = providers.vk_community(tenant)
        if community is None:
            raise HTTPException(404, "no VK community is configured for this tenant")
        try:
            said = VkProvider(community).read_callback(await request.body())
        except WebhookRejected as rejected:
            raise HTTPException(rejected.status_code, rejected.reason) from None
        if said.confirmation is not None:
            return said.confirmation
        once = (f"vk:{tenant}", said.event_id, said.event_type) if said.event_id else None
        await receive(tenant, Channel.VK, said.items, once)
        return "ok"

    @router.get("/whatsapp/{tenant}/webhook", response_class=PlainTextResponse)
    async def whatsapp_verify(tenant: Tenant, request: Request) -> str:
        number = providers.whatsapp_number(tenant)
        if number is None:
            raise HTTPException(404, "no WhatsApp number is configured for this tenant")
        asked = request.query_params
        try:
            return WhatsAppProvider(number).verify(
                asked.get("hub.mode"), asked.get("hub.verify_token"), asked.get("hub.challenge")
            )
        except WebhookRejected as rejected:
            raise HTTPException(rejected.status_code, rejected.reason) from None

    @router.post("/whatsapp/{tenant}/webhook")
    async def whatsapp_webhook(tenant: Tenant, request: Request) -> dict[str, bool]:
        number = providers.whatsapp_number(tenant)
        if number is None:
            raise HTTPException(404, "no WhatsApp number is configured for this tenant")
        body = await request.body()
        try:
            items = WhatsAppProvider(number).parse_webhook(request.headers, body)
        except WebhookRejected as rejected:
            raise HTTPException(rejected.status_code, rejected.reason) from None
        return await receive(tenant, Channel.WHATSAPP, items)

    @router.post("/sms/{tenant}/handler", response_class=PlainTextResponse)
    async def sms_handler(tenant: Tenant, request: Request) -> str:
        account = providers.smsc_account(tenant)
        if account is None:
            raise HTTPException(404, "no SMSC account is configured for this tenant")
        body = await request.body()
        try:
            items = SmsProvider(account).parse_webhook(request.headers, body)
        except WebhookRejected as rejected:
            raise HTTPException(rejected.status_code, rejected.reason) from None
        await receive(tenant, Channel.SMS, items)
        return "OK"

    @router.post("/sandbox/{tenant}/inbound")
    async def sandbox_inbound(tenant: Tenant, request: Request) -> dict[str, bool]:
        if not settings.sandbox_inbox_open:
            raise HTTPException(404, "the sandbox inbox is closed here")
        try:
            channel, items = parse_sandbox(await request.body())
        except WebhookRejected as rejected:
            raise HTTPException(rejected.status_code, rejected.reason) from None
        if not providers.uses_sandbox(tenant, channel):
            raise HTTPException(404, f"the sandbox does not serve {channel.value} of this tenant")
        return await receive(tenant, channel, items)

    return (router,)
