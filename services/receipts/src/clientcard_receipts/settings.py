from pydantic_settings import SettingsConfigDict

from clientcard_kit.settings import ServiceSettings


class ReceiptsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="RECEIPTS_", extra="ignore")

    service_name: str = "receipts"
    port: int = 8004
    database_url: str = "postgresql+psycopg://clientcard:clientcard@127.0.0.1:54329/receipts"
