from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from clientcard_kit.settings import ServiceSettings

DEV_EXPORTS_LINK_SECRET = "clientcard-exports-development-secret-not-for-production"


class CustomersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMERS_", extra="ignore")

    service_name: str = "customers"
    port: int = 8001
    database_url: str = "postgresql+psycopg://clientcard:clientcard@127.0.0.1:54329/customers"

    # Jobs (bulk actions by filter): members per batch transaction, and how long a runner
    # holds a job between two batches (another replica takes it over after that).
    job_batch_size: int = Field(default=1000, gt=0)
    job_lease_seconds: float = Field(default=30.0, gt=0)

    # Exports of the client list: kept in a folder, or in an S3-compatible bucket when one
    # is named (credentials as boto3 finds them unless given here), for `exports_keep_hours`;
    # their links are signed with `exports_link_secret` and start with `exports_public_url`.
    exports_folder: Path = Path(".state/exports")
    exports_bucket: str | None = None
    exports_bucket_prefix: str = "exports/"
    exports_s3_endpoint_url: str | None = None
    exports_s3_region: str = "us-east-1"
    exports_s3_access_key_id: str | None = None
    exports_s3_secret_access_key: SecretStr | None = None
    exports_keep_hours: float = Field(default=72, gt=0)
    exports_link_secret: SecretStr = SecretStr(DEV_EXPORTS_LINK_SECRET)
    exports_public_url: str = "http://127.0.0.1:8001"
    # Dates and moments in an export are written in this zone.
    exports_time_zone: str = "Europe/Moscow"

    def production_problems(self) -> list[str]:
        problems = super().production_problems()
        if self.environment == "production" and (
            self.exports_link_secret.get_secret_value() == DEV_EXPORTS_LINK_SECRET
        ):
            problems.append("EXPORTS_LINK_SECRET is the published development secret")
        return problems
