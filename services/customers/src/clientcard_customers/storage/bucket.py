"""Exports kept in an S3-compatible bucket (AWS S3, MinIO, Yandex Object Storage...).

boto3 blocks, so each call runs in a thread; the file is written to a temporary file
first and uploaded in parts when done, and read back a chunk at a time: memory stays flat
whatever the size.
"""

import asyncio
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from clientcard_customers.storage.base import CHUNK_BYTES

# DeleteObjects takes at most this many keys a call.
DELETE_AT_ONCE = 1000


class BucketStorage:
    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        self._bucket = bucket
        self._prefix = prefix
        # Path-style addressing: S3-compatible servers seldom have a host per bucket.
        style = "path" if endpoint_url else "auto"
        self._s3: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=Config(s3={"addressing_style": style}),
        )

    @asynccontextmanager
    async def writing(self, key: str) -> AsyncIterator[BinaryIO]:
        with tempfile.TemporaryFile() as file:
            yield file
            file.seek(0)
            await asyncio.to_thread(self._s3.upload_fileobj, file, self._bucket, self._at(key))

    async def size(self, key: str) -> int | None:
        try:
            head = await asyncio.to_thread(
                self._s3.head_object, Bucket=self._bucket, Key=self._at(key)
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(head["ContentLength"])

    async def chunks(self, key: str) -> AsyncIterator[bytes]:
        found = await asyncio.to_thread(self._s3.get_object, Bucket=self._bucket, Key=self._at(key))
        body = found["Body"]
        try:
            while chunk := await asyncio.to_thread(body.read, CHUNK_BYTES):
                yield chunk
        finally:
            body.close()

    async def remove_stored_before(self, moment: datetime) -> int:
        return await asyncio.to_thread(self._remove_before, moment)

    def _remove_before(self, moment: datetime) -> int:
        old: list[str] = []
        pages = self._s3.get_paginator("list_objects_v2").paginate(
            Bucket=self._bucket, Prefix=self._prefix
        )
        for page in pages:
            stored = page.get("Contents", ())
            old += [item["Key"] for item in stored if item["LastModified"] < moment]
        for start in range(0, len(old), DELETE_AT_ONCE):
            keys = [{"Key": key} for key in old[start : start + DELETE_AT_ONCE]]
            self._s3.delete_objects(Bucket=self._bucket, Delete={"Objects": keys, "Quiet": True})
        return len(old)

    def _at(self, key: str) -> str:
        return self._prefix + key
