from pydantic_settings import SettingsConfigDict

from clientcard_kit.settings import ServiceSettings


class MessagingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MESSAGING_", extra="ignore")

    service_name: str = "messaging"
    port: int = 8003
    database_url: str = "postgresql+psycopg://clientcard:clientcard@127.0.0.1:54329/messaging"
