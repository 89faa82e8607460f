from pydantic_settings import SettingsConfigDict

from clientcard_kit.settings import ServiceSettings


class CustomersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMERS_", extra="ignore")

    service_name: str = "customers"
    port: int = 8001
    database_url: str = "postgresql+psycopg://clientcard:clientcard@127.0.0.1:54329/customers"
