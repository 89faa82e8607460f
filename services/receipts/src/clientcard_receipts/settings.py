from pydantic import Field
from pydantic_settings import SettingsConfigDict

from clientcard_kit.settings import ServiceSettings


class ReceiptsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="RECEIPTS_", extra="ignore")

    service_name: str = "receipts"
    port: int = 8004
    database_url: str = "postgresql+psycopg://clientcard:clientcard@127.0.0.1:54329/receipts"
    # Busy tills make thousands of events a second here: the relay sends more per round
    # trip (measured in docs/benchmarks.md: publishing 1,384/s at 500, 1,745/s at 2,000).
    outbox_batch_size: int = Field(default=2000, gt=0)
    # How long a receipt naming a customer id nobody could confirm waits for that
    # customer's registration before it goes to the dead letters (the customers service
    # was unreachable when it came, and the registration never arrived).
    customer_wait_seconds: float = Field(default=24 * 3600, gt=0)
