from pydantic_settings import SettingsConfigDict

from clientcard_kit.settings import ServiceSettings


class BonusesSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="BONUSES_", extra="ignore")

    service_name: str = "bonuses"
    port: int = 8002
    database_url: str = "postgresql+psycopg://clientcard:clientcard@127.0.0.1:54329/bonuses"
