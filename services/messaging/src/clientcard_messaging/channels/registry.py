"""Which provider serves a tenant's channel: its Telegram bot or VK community when
configured, else the sandbox.

The sandbox stands in for every channel that has no provider of its own yet (WhatsApp,
Viber, SMS today) and for Telegram and VK wherever a tenant has not configured them, so
the local stack and demos work with no setup.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts.enums import Channel
from clientcard_messaging.channels.base import ChannelProvider
from clientcard_messaging.channels.sandbox import SandboxProvider
from clientcard_messaging.channels.telegram import TelegramProvider
from clientcard_messaging.channels.vk import VkProvider
from clientcard_messaging.settings import MessagingSettings, TelegramBot, VkCommunity


class Providers:
    def __init__(self, settings: MessagingSettings) -> None:
        self._settings = settings

    def telegram_bot(self, tenant: str) -> TelegramBot | None:
        return self._settings.telegram_bots.get(tenant)

    def vk_community(self, tenant: str) -> VkCommunity | None:
        return self._settings.vk_communities.get(tenant)

    def uses_sandbox(self, tenant: str, channel: Channel) -> bool:
        return self._real(tenant, channel) is None

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
