"""Service settings from environment variables, one prefix per service.

Every service subclasses `ServiceSettings` with its own `env_prefix` (`CUSTOMERS_`,
`BONUSES_`, ...), so one machine or one pod can carry the settings of several services
without them leaking into each other.
"""

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_JWT_SECRET = "clientcard-development-secret-not-for-production"
JWT_AUDIENCE = "clientcard"
DEV_JWT_ISSUER = "clientcard-dev"
# Services sign the tokens of their calls to each other with this secret in development;
# production sets its own (`<SERVICE>_INTERNAL_SECRET`, the same in all four).
DEV_INTERNAL_SECRET = "clientcard-internal-development-secret-not-for-production"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SERVICE_", extra="ignore")

    service_name: str = "service"
    environment: Literal["development", "test", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    # Longer than any client's idle keep-alive (the gateway's is a few seconds), so that a
    # client never sends on a connection the service has just closed (ECONNRESET).
    http_keep_alive_seconds: int = Field(default=75, gt=0)
    # The largest request body taken (GraphQL or POS); larger ones get 413.
    max_body_bytes: int = Field(default=1024 * 1024, gt=0)

    database_url: str = "postgresql+psycopg://clientcard:clientcard@127.0.0.1:54329/clientcard"
    database_pool_size: int = 10
    database_max_overflow: int = 10
    # The GraphQL requests' reads have a pool of their own (see `db.database`).
    database_read_pool_size: int = 5

    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    kafka_client_id: str | None = None
    kafka_consumer_group: str | None = None
    # Consumers and the relay can be switched off per process, e.g. for a replica that only
    # serves GraphQL, or in tests that drive them by hand.
    consumers_enabled: bool = True
    outbox_relay_enabled: bool = True
    outbox_poll_interval_seconds: float = Field(default=0.05, gt=0)
    # The longest pause of an idle relay (empty polls double the pause up to it).
    outbox_idle_poll_seconds: float = Field(default=0.5, gt=0)
    outbox_batch_size: int = Field(default=500, gt=0)
    # How long a consumed event's id is kept against redeliveries: longer than any topic
    # keeps its messages (Kafka's default is 7 days).
    inbox_retention_days: float = Field(default=14, gt=0)

    jwt_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    jwt_algorithms: list[str] = ["HS256"]
    jwt_audience: str = JWT_AUDIENCE
    jwt_issuer: str | None = None
    jwks_url: str | None = None
    # Tokens meant to live longer than this are refused, however well signed.
    jwt_max_lifetime_seconds: int = Field(default=24 * 3600, gt=0)

    graphiql: bool = True

    # Calls between services: the secret their tokens are signed with, where the others
    # answer, and how long a caller waits before it takes a service as unavailable.
    internal_secret: SecretStr = SecretStr(DEV_INTERNAL_SECRET)
    customers_url: str = "http://127.0.0.1:8001"
    bonuses_url: str = "http://127.0.0.1:8002"
    internal_timeout_seconds: float = Field(default=2.0, gt=0)

    def production_problems(self) -> list[str]:
        """Why this configuration must not serve in production (empty when it may)."""
        if self.environment != "production":
            return []
        problems = []
        if not self.jwks_url and self.jwt_secret.get_secret_value() == DEV_JWT_SECRET:
            problems.append("JWT_SECRET is the published development secret (or set JWKS_URL)")
        if self.internal_secret.get_secret_value() == DEV_INTERNAL_SECRET:
            problems.append("INTERNAL_SECRET is the published development secret")
        return problems

    @property
    def consumer_group(self) -> str:
        return self.kafka_consumer_group or self.service_name

    @property
    def client_id(self) -> str:
        return self.kafka_client_id or self.service_name
