"""Which provider serves a tenant's channel: its Telegram bot, VK community, WhatsApp
number or SMSC account when configured, else the sandbox where the settings let it.

The sandbox stands in for every channel without a real provider in the local stack and
demos (Viber always: it has no provider of its own), so they work with no setup. A
channel with neither is not configured for the tenant: linking and sending on it are
refused, and mailings skip its members.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts.enums import Channel
from clientcard_messaging.channels.base import ChannelProvider
from clientcard_messaging.channels.sandbox import SandboxProvider
from clientcard_messaging.channels.sms import SmsProvider
from clientcard_messaging.channels.telegram import TelegramProvider
from clientcard_messaging.channels.vk import VkProvider
from clientcard_messaging.channels.whatsapp import WhatsAppProvider
from clientcard_messaging.settings import (
    MessagingSettings,
    SmscAccount,
    TelegramBot,
    VkCommunity,
    WhatsAppNumber,
)


class Providers:
    def __init__(self, settings: MessagingSettings) -> None:
        self._settings = settings

    def telegram_bot(self, tenant: str) -> TelegramBot | None:
        return self._settings.telegram_bots.get(tenant)

    def vk_community(self, tenant: str) -> VkCommunity | None:
        return self._settings.vk_communities.get(tenant)

    def whatsapp_number(self, tenant: str) -> WhatsAppNumber | None:
        return self._settings.whatsapp_numbers.get(tenant)

    def smsc_account(self, tenant: str) -> SmscAccount | None:
        return self._settings.smsc_accounts.get(tenant)

    def uses_sandbox(self, tenant: str, channel: Channel) -> bool:
        real = self._real(tenant, channel)
        return real is None and channel in self._settings.sandboxed(tenant)

    def configured(self, tenant: str) -> frozenset[Channel]:
        """The tenant's channels that have a provider, real or the sandbox."""
        sandboxed = self._settings.sandboxed(tenant)
        return frozenset(
            channel
            for channel in Channel
            if channel in sandboxed or self._real(tenant, channel) is not None
        )

    def for_channel(self, tenant: str, channel: Channel, session: AsyncSession) -> ChannelProvider:
        real = self._real(tenant, channel)
        if real is not None:
            return real
        return SandboxProvider(
            session, tenant, messages_per_second=self._settings.sandbox_messages_per_second
        )

    def _real(self, tenant: str, channel: Channel) -> ChannelProvider | None:
        timeout = self._settings.provider_timeout_seconds
        concurrency = self._settings.provider_concurrency
        bot = self.telegram_bot(tenant) if channel is Channel.TELEGRAM else None
        if bot is not None:
            return TelegramProvider(bot, timeout=timeout, concurrency=concurrency)
        community = self.vk_community(tenant) if channel is Channel.VK else None
        if community is not None:
            return VkProvider(community, timeout=timeout, concurrency=concurrency)
        number = self.whatsapp_number(tenant) if channel is Channel.WHATSAPP else None
        if number is not None:
            return WhatsAppProvider(number, timeout=timeout, concurrency=concurrency)
        account = self.smsc_account(tenant) if channel is Channel.SMS else None
        if account is not None:
            return SmsProvider(account, timeout=timeout, concurrency=concurrency)
        return None

    def gaps(self, tenant: str) -> dict[Channel, float]:
        """Seconds between two mailing messages on each channel of the tenant (0: no limit)."""
        rates = {
            channel: (
                real.messages_per_second
                if (real := self._real(tenant, channel)) is not None
                else self._settings.sandbox_messages_per_second
            )
            for channel in Channel
        }
        return {channel: 1.0 / rate if rate > 0 else 0.0 for channel, rate in rates.items()}
