"""An export's link: downloads the file without a token until it expires; a changed link is
refused, an expired one is gone, and the file itself is removed after its expiry."""

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from clientcard_customers.commands.exports import StoredExport, download_url, write_export
from clientcard_customers.domain.client_list import ClientFilter, ClientOrder
from clientcard_customers.domain.exports import Column, ExportFormat, ExportRequest
from clientcard_customers.entrypoints.export_expiry import remove_expired_exports
from clientcard_customers.service import SERVICE
from clientcard_customers.settings import CustomersSettings
from clientcard_customers.storage import FolderStorage
from clientcard_kit.app import create_service_app

from .calls import register, tenant

pytestmark = pytest.mark.integration


@pytest.fixture
async def service(
    customers_settings: CustomersSettings, tmp_path: Path
) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    """The service keeping its exports in a folder of the test's own."""
    settings = customers_settings.model_copy(
        update={"exports_folder": tmp_path, "exports_public_url": "http://customers/"}
    )
    app = create_service_app(SERVICE, settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://customers") as http:
        yield app, http
    await app.state.runtime.db.dispose()


async def exported(app: Any, as_tenant: Any, salon: str) -> StoredExport:
    """A CSV of the salon's one customer, stored where the service keeps exports."""
    await register(as_tenant(salon), firstName="Анна")
    runtime = app.state.runtime

    async def progress(rows: int) -> None:
        return None

    request = ExportRequest(ClientFilter(), ClientOrder(), (Column.NAME,), ExportFormat.CSV)
    return await write_export(
        runtime.db,
        FolderStorage(runtime.settings.exports_folder),
        salon,
        uuid.uuid4(),
        request,
        progress,
        zone=ZoneInfo("Europe/Moscow"),
    )


def link_of(app: Any, salon: str, stored: StoredExport, expires_at: datetime | None = None) -> str:
    job_id = uuid.UUID(stored.key.split("/")[1])
    return download_url(
        app.state.runtime.settings,
        salon,
        job_id,
        stored.file_name,
        expires_at or stored.expires_at,
    )


def changed(link: str, **values: str) -> str:
    parts = urlsplit(link)
    query = dict(parse_qsl(parts.query)) | values
    return f"{parts.path}?{urlencode(query)}"


async def test_the_link_downloads_the_file_without_a_token(service: Any, as_tenant: Any) -> None:
    app, http = service
    salon = tenant()
    stored = await exported(app, as_tenant, salon)
    link = link_of(app, salon, stored)
    assert link.startswith(f"http://customers/exports/{stored.key.split('/')[1]}/clients-")
    response = await http.get(link)
    assert response.status_code == 200, response.text
    assert response.content.decode("utf-8-sig") == "ФИО\r\nАнна\r\n"
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition == f"attachment; filename*=UTF-8''{stored.file_name}"
    assert stored.size == len(response.content)


async def test_a_changed_link_is_refused(service: Any, as_tenant: Any) -> None:
    app, http = service
    salon, other = tenant(), tenant()
    stored = await exported(app, as_tenant, salon)
    theirs = await exported(app, as_tenant, other)
    link = link_of(app, salon, stored)
    signature = dict(parse_qsl(urlsplit(link).query))["signature"]
    forged = [
        changed(link, signature="0" * len(signature)),
        # The same link made to name another tenant: its file is not this tenant's.
        changed(link, tenant=other),
        changed(link, expires=str(int(stored.expires_at.timestamp()) + 86400)),
        # Another tenant's job under this tenant's signature.
        changed(link_of(app, other, theirs), signature=signature),
        link.replace(stored.file_name, "clients-other.csv"),
    ]
    for wanted in forged:
        response = await http.get(wanted)
        assert response.status_code == 403, wanted
        assert "Анна" not in response.text


async def test_an_expired_link_is_gone(service: Any, as_tenant: Any) -> None:
    app, http = service
    salon = tenant()
    stored = await exported(app, as_tenant, salon)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    response = await http.get(link_of(app, salon, stored, expires_at=an_hour_ago))
    assert response.status_code == 410


async def test_a_genuine_link_to_no_file_finds_nothing(service: Any) -> None:
    app, http = service
    nothing = StoredExport(
        key=f"salon/{uuid.uuid4()}/clients-none.csv",
        file_name="clients-none.csv",
        size=0,
        rows=0,
        expires_at=datetime.now(UTC) + timedelta(hours=1),
    )
    response = await http.get(link_of(app, "salon", nothing))
    assert response.status_code == 404


async def test_files_are_removed_after_their_expiry(service: Any, as_tenant: Any) -> None:
    app, _ = service
    settings = app.state.runtime.settings
    salon = tenant()
    old = await exported(app, as_tenant, salon)
    fresh = await exported(app, as_tenant, salon)
    folder = settings.exports_folder
    kept_for = timedelta(hours=settings.exports_keep_hours)
    stored_at = (datetime.now(UTC) - kept_for - timedelta(minutes=1)).timestamp()
    os.utime(folder / old.key, (stored_at, stored_at))
    assert await remove_expired_exports(app.state.runtime) == 1
    assert not (folder / old.key).exists()
    assert (folder / fresh.key).exists()
    # The job's emptied folder goes at a later sweep, once it has settled.
    os.utime((folder / old.key).parent, (stored_at, stored_at))
    assert await remove_expired_exports(app.state.runtime) == 0
    assert not (folder / old.key).parent.exists()
    assert (folder / fresh.key).exists()
