"""Which provider serves a tenant's channel: its Telegram bot when configured, else the sandbox.

The sandbox stands in for every channel that has no provider of its own yet (WhatsApp,
Viber, VK, SMS today) and for Telegram wherever a tenant has no bot configured, so the
local stack and demos work with no setup.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts.enums import Channel
from clientcard_messaging.channels.base import ChannelProvider
from clientcard_messaging.channels.sandbox import SandboxProvider
from clientcard_messaging.channels.telegram import TelegramProvider
from clientcard_messaging.settings import MessagingSettings, TelegramBot


class Providers:
    def __init__(self, settings: MessagingSettings) -> None:
        self._settings = settings

    def telegram_bot(self, tenant: str) -> TelegramBot | None:
        return self._settings.telegram_bots.get(tenant)

    def uses_sandbox(self, tenant: str, channel: Channel) -> bool:
        return not (channel is Channel.TELEGRAM and self.telegram_bot(tenant) is not None)

    def for_channel(self, tenant: str, channel: Channel, session: AsyncSession) -> ChannelProvider:
        bot = self.telegram_bot(tenant) if channel is Channel.TELEGRAM else None
        if bot is not None:
            return TelegramProvider(
                bot,
                timeout=self._settings.provider_timeout_seconds,
                concurrency=self._settings.provider_concurrency,
            )
        return SandboxProvider(
            session, tenant, messages_per_second=self._settings.sandbox_messages_per_second
        )

    def gaps(self, tenant: str) -> dict[Channel, float]:
        """Seconds between two mailing messages on each channel of the tenant (0: no limit)."""
        rates = {
            channel: (
                bot.messages_per_second
                if channel is Channel.TELEGRAM and (bot := self.telegram_bot(tenant))
                else self._settings.sandbox_messages_per_second
            )
            for channel in Channel
        }
        return {channel: 1.0 / rate if rate > 0 else 0.0 for channel, rate in rates.items()}
