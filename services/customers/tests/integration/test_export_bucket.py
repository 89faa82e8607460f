"""Exports kept in an S3-compatible bucket: the S3 API served by moto's server, a process of
its own the test starts, spoken to by boto3 over HTTP as a real bucket would be."""

import asyncio
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import httpx
import pytest
from pydantic import SecretStr

from clientcard_customers.commands.exports import download_url, write_export
from clientcard_customers.domain.client_list import ClientFilter, ClientOrder
from clientcard_customers.domain.exports import Column, ExportFormat, ExportRequest
from clientcard_customers.service import SERVICE
from clientcard_customers.settings import CustomersSettings
from clientcard_customers.storage import BucketStorage, export_storage
from clientcard_kit.app import create_service_app

from .calls import register, tenant

pytestmark = pytest.mark.integration

BUCKET = "clientcard-exports"
KEYS = {"access_key_id": "testing", "secret_access_key": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_for(endpoint)
        s3 = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        s3.create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for(endpoint: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(endpoint, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("the S3 API server did not start")


@pytest.fixture
def bucket(s3_endpoint: str) -> BucketStorage:
    # Each test under a prefix of its own, so one's files never count in another's.
    prefix = f"exports-{uuid.uuid4().hex[:8]}/"
    return BucketStorage(BUCKET, prefix=prefix, endpoint_url=s3_endpoint, **KEYS)


async def test_a_file_is_stored_read_back_and_removed_after_its_time(
    bucket: BucketStorage,
) -> None:
    content = "ФИО\r\nАнна\r\n".encode("utf-8-sig") * 100_000
    async with bucket.writing("salon/job/clients.csv") as file:
        file.write(content)
    assert await bucket.size("salon/job/clients.csv") == len(content)
    read = b"".join([chunk async for chunk in bucket.chunks("salon/job/clients.csv")])
    assert read == content
    assert await bucket.remove_stored_before(datetime.now(UTC) - timedelta(hours=1)) == 0
    assert await bucket.remove_stored_before(datetime.now(UTC) + timedelta(seconds=5)) == 1
    assert await bucket.size("salon/job/clients.csv") is None


async def _fail_half_way(bucket: BucketStorage) -> None:
    async with bucket.writing("salon/job/clients.csv") as file:
        file.write(b"half a file")
        raise RuntimeError("the export failed half-way")


async def test_a_failed_export_stores_nothing(bucket: BucketStorage) -> None:
    with pytest.raises(RuntimeError):
        await _fail_half_way(bucket)
    assert await bucket.size("salon/job/clients.csv") is None


@pytest.fixture
async def service_on_bucket(
    customers_settings: CustomersSettings, s3_endpoint: str
) -> AsyncIterator[Any]:
    settings = customers_settings.model_copy(
        update={
            "exports_bucket": BUCKET,
            "exports_bucket_prefix": f"exports-{uuid.uuid4().hex[:8]}/",
            "exports_s3_endpoint_url": s3_endpoint,
            "exports_s3_access_key_id": "testing",
            "exports_s3_secret_access_key": SecretStr("testing"),
            "exports_public_url": "http://customers",
        }
    )
    app = create_service_app(SERVICE, settings)
    yield app
    await app.state.runtime.db.dispose()


async def test_an_export_kept_in_the_bucket_is_downloaded_by_its_link(
    service_on_bucket: Any, as_tenant: Any
) -> None:
    app = service_on_bucket
    runtime = app.state.runtime
    salon = tenant()
    await register(as_tenant(salon), firstName="Зоя")
    job = uuid.uuid4()

    async def progress(rows: int) -> None:
        await asyncio.sleep(0)

    request = ExportRequest(ClientFilter(), ClientOrder(), (Column.NAME,), ExportFormat.CSV)
    storage = export_storage(runtime.settings)
    assert isinstance(storage, BucketStorage)
    stored = await write_export(
        runtime.db, storage, salon, job, request, progress, zone=ZoneInfo("Europe/Moscow")
    )
    link = download_url(runtime.settings, salon, job, stored.file_name, stored.expires_at)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://customers") as http:
        response = await http.get(link)
    assert response.status_code == 200, response.text
    assert response.content.decode("utf-8-sig") == "ФИО\r\nЗоя\r\n"
    assert stored.size == len(response.content)
