from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from clientcard_contracts.enums import Channel
from clientcard_kit.settings import ServiceSettings

TELEGRAM_API = "https://api.telegram.org"
VK_API = "https://api.vk.com"
GRAPH_API = "https://graph.facebook.com"
SMSC_API = "https://smsc.ru"


class TelegramBot(BaseModel):
    """One merchant's Telegram bot: its token, and the secret Telegram sends with webhooks."""

    token: SecretStr
    webhook_secret: SecretStr
    base_url: str = TELEGRAM_API
    # Telegram allows a bot about 30 messages a second; mailings stay below it.
    messages_per_second: float = Field(default=25.0, gt=0)


class VkCommunity(BaseModel):
    """One merchant's VK community: its token for `messages.send` and its Callback API
    server's confirmation string and secret key."""

    group_id: int = Field(gt=0)
    token: SecretStr
    confirmation_code: str = Field(min_length=1)
    secret_key: SecretStr
    base_url: str = VK_API
    # The version the requests name and the Callback API server is set to (shapes differ).
    api_version: str = "5.199"
    # VK allows a community token 20 API requests a second.
    messages_per_second: float = Field(default=20.0, gt=0, le=20)


class WhatsAppNumber(BaseModel):
    """One merchant's WhatsApp Business phone number on Meta's Cloud API: the number's id
    and a system user's token for sending, the app secret that signs webhooks, the verify
    token of the webhook's subscription, and the approved template for writing outside
    the 24-hour customer service window."""

    phone_number_id: str = Field(min_length=1, pattern=r"^[0-9]+$")
    token: SecretStr
    app_secret: SecretStr
    verify_token: SecretStr
    # An approved template with one body parameter ({{1}}), which carries the text.
    template_name: str = Field(min_length=1)
    template_language: str = "ru"
    base_url: str = GRAPH_API
    api_version: str = "v21.0"
    # The Cloud API's default throughput is 80 messages a second per business number.
    messages_per_second: float = Field(default=80.0, gt=0, le=1000)


class SmscAccount(BaseModel):
    """One merchant's SMSC.ru account: the login and password (or API key) for sending,
    the sender name registered there, and the secret of its status handler's signature."""

    login: str = ""
    password: SecretStr
    sender: str = Field(min_length=1, max_length=11)
    callback_secret: SecretStr
    base_url: str = SMSC_API
    # SMSC names no requests-a-second figure of its own; this spaces calls comfortably.
    messages_per_second: float = Field(default=20.0, gt=0, le=100)


class MessagingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MESSAGING_", extra="ignore")

    service_name: str = "messaging"
    port: int = 8003
    database_url: str = "postgresql+psycopg://clientcard:clientcard@127.0.0.1:54329/messaging"

    # Tenant id → its bot, e.g. MESSAGING_TELEGRAM_BOTS='{"demo": {"token": "…",
    # "webhook_secret": "…"}}'. A tenant without a bot writes through the sandbox.
    telegram_bots: dict[str, TelegramBot] = {}
    # Tenant id → its VK community, e.g. MESSAGING_VK_COMMUNITIES='{"demo": {"group_id": 1,
    # "token": "…", "confirmation_code": "…", "secret_key": "…"}}'; else VK is the sandbox.
    vk_communities: dict[str, VkCommunity] = {}
    # Tenant id → its WhatsApp Business number, e.g. MESSAGING_WHATSAPP_NUMBERS='{"demo":
    # {"phone_number_id": "1", "token": "…", "app_secret": "…", "verify_token": "…",
    # "template_name": "notice"}}'; and its SMSC account (MESSAGING_SMSC_ACCOUNTS).
    whatsapp_numbers: dict[str, WhatsAppNumber] = {}
    smsc_accounts: dict[str, SmscAccount] = {}
    # Tenant id (or "*": every tenant without an entry of its own) → the channels the
    # sandbox serves where the tenant has no real provider. None: every channel of every
    # tenant everywhere but production (the local stack and demos), none in production.
    sandbox_channels: dict[str, frozenset[Channel]] | None = None
    # 0 means mailings through the sandbox are not throttled.
    sandbox_messages_per_second: float = Field(default=0.0, ge=0)
    # The sandbox's inbox takes anyone's word for a customer's message: open by default
    # everywhere but production.
    sandbox_inbound_enabled: bool | None = None

    send_batch_size: int = Field(default=1000, gt=0)
    send_poll_interval_seconds: float = Field(default=0.2, gt=0)
    send_max_attempts: int = Field(default=5, ge=1)
    send_retry_base_seconds: float = Field(default=2.0, gt=0)
    send_retry_max_seconds: float = Field(default=300.0, gt=0)
    provider_timeout_seconds: float = Field(default=10.0, gt=0)
    provider_concurrency: int = Field(default=8, ge=1)

    broadcast_poll_interval_seconds: float = Field(default=0.5, gt=0)
    # How often the automation run looks for tenants due one.
    automation_poll_interval_seconds: float = Field(default=5.0, gt=0)
    # An inbound message this long after a mailing reached the customer counts as a reply.
    reply_window_hours: float = Field(default=72.0, gt=0)

    nps_survey_delay_minutes: float = Field(default=120.0, ge=0)
    nps_survey_period_days: float = Field(default=30.0, ge=0)
    # How long after the survey was sent an answer is still taken as its score.
    nps_answer_window_hours: float = Field(default=72.0, gt=0)
    nps_question: str = (
        "Спасибо за покупку! Насколько вероятно, что вы порекомендуете нас друзьям? "
        "Ответьте числом от 0 до 10, можно с комментарием."
    )
    telegram_welcome: str = "Вы подписаны на наши сообщения."

    def sandboxed(self, tenant: str) -> frozenset[Channel]:
        """The channels the sandbox serves for the tenant where it has no real provider."""
        if self.sandbox_channels is None:
            return frozenset() if self.environment == "production" else frozenset(Channel)
        found = self.sandbox_channels.get(tenant, self.sandbox_channels.get("*"))
        return found or frozenset()

    @property
    def sandbox_inbox_open(self) -> bool:
        if self.sandbox_inbound_enabled is not None:
            return self.sandbox_inbound_enabled
        return self.environment != "production"
