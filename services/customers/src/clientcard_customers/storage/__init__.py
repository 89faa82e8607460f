"""Where the customers service keeps files it hands out (exports of the client list): a
folder by default, an S3-compatible bucket when the settings name one."""

from clientcard_customers.settings import CustomersSettings
from clientcard_customers.storage.base import ExportStorage, export_key
from clientcard_customers.storage.bucket import BucketStorage
from clientcard_customers.storage.folder import FolderStorage

__all__ = ["BucketStorage", "ExportStorage", "FolderStorage", "export_key", "export_storage"]


def export_storage(settings: CustomersSettings) -> ExportStorage:
    if settings.exports_bucket is None:
        return FolderStorage(settings.exports_folder)
    secret = settings.exports_s3_secret_access_key
    return BucketStorage(
        settings.exports_bucket,
        prefix=settings.exports_bucket_prefix,
        endpoint_url=settings.exports_s3_endpoint_url,
        region=settings.exports_s3_region,
        access_key_id=settings.exports_s3_access_key_id,
        secret_access_key=secret.get_secret_value() if secret else None,
    )
