"""Exporting the client list to a file: what the export job calls.

    from clientcard_customers.commands.exports import download_url, write_export
    from clientcard_customers.domain.exports import ExportFormat, ExportRequest, chosen_columns
    from clientcard_customers.storage import export_storage

    request = ExportRequest(client_filter, order, chosen_columns(columns), ExportFormat.XLSX)
    stored = await write_export(
        runtime.db, export_storage(runtime.settings), tenant, job_id, request,
        progress,                       # async (rows written so far) -> None, after each page
        zone=ZoneInfo(runtime.settings.exports_time_zone),
    )
    # keep stored.file_name, stored.rows, stored.size, stored.expires_at with the job;
    # Job.downloadUrl is then
    download_url(runtime.settings, tenant, job_id, stored.file_name, stored.expires_at)

Every customer the filter matches is written, in the list's order, from one snapshot of
the tenant (`db.snapshots`), a batch at a time (`db.export_rows`): a batch is written out
(in a thread) while the next is read, so memory holds two batches whatever the size of
the list. The file is
stored only when complete; an export that fails or is cancelled stores nothing, and
running it again writes the whole file afresh. The file is removed after `expires_at`
by the periodic job `entrypoints.export_expiry`.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from clientcard_customers.db.export_rows import ExportRows
from clientcard_customers.db.snapshots import snapshot
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.export_writers import ExportWriter, export_writer
from clientcard_customers.domain.exports import ClientRow, Column, ExportRequest, cells
from clientcard_customers.settings import CustomersSettings
from clientcard_customers.storage import ExportStorage, export_key
from clientcard_kit.db.database import Database
from clientcard_kit.signed_links import LinkSigner

PAGE_SIZE = 5_000

Progress = Callable[[int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class StoredExport:
    key: str
    file_name: str
    size: int
    rows: int
    # When its link stops working; the file is kept at least until then.
    expires_at: datetime


async def write_export(
    db: Database,
    storage: ExportStorage,
    tenant: str,
    job_id: uuid.UUID,
    request: ExportRequest,
    progress: Progress,
    *,
    zone: ZoneInfo,
    keep_for: timedelta = timedelta(hours=72),
    page_size: int = PAGE_SIZE,
) -> StoredExport:
    """Write the customers `request` asks for into a file and store it."""
    file_name = request.file_name(job_id)
    key = export_key(tenant, job_id, file_name)
    # Taken before the file is stored, so the link never outlives the file.
    expires_at = datetime.now(UTC) + keep_for
    async with snapshot(db, tenant) as uow, storage.writing(key) as file:
        writer = export_writer(request.format, file, request.columns, zone)
        rows = await _write_pages(
            uow, writer, request, progress, today=datetime.now(zone).date(), page_size=page_size
        )
        await asyncio.to_thread(writer.close)
    size = await storage.size(key)
    return StoredExport(key, file_name, size or 0, rows, expires_at)


async def _write_pages(
    uow: CustomersUnitOfWork,
    writer: ExportWriter,
    request: ExportRequest,
    progress: Progress,
    *,
    today: date,
    page_size: int,
) -> int:
    columns = request.columns
    batches = ExportRows(uow.session, uow.tenant).batches(
        request.client_filter,
        request.order,
        today,
        page_size,
        with_segments=Column.SEGMENTS in columns,
    )
    written = 0
    writing: asyncio.Task[int] | None = None
    try:
        async for batch in batches:
            if writing is not None:
                written += await writing
                await progress(written)
            writing = asyncio.create_task(asyncio.to_thread(_write_batch, writer, batch, columns))
        if writing is not None:
            written += await writing
            writing = None
        await progress(written)
        return written
    finally:
        # Never leave the file to a thread still writing into it.
        if writing is not None:
            with suppress(BaseException):
                await writing


def _write_batch(
    writer: ExportWriter, batch: Sequence[ClientRow], columns: Sequence[Column]
) -> int:
    writer.write_rows(cells(row, columns) for row in batch)
    return len(batch)


def download_url(
    settings: CustomersSettings,
    tenant: str,
    job_id: uuid.UUID,
    file_name: str,
    expires_at: datetime,
) -> str:
    """The export's link: works without a token, for this tenant's file, until it expires."""
    expires = int(expires_at.timestamp())
    signer = LinkSigner(settings.exports_link_secret.get_secret_value())
    signature = signer.signature(link_subject(tenant, job_id, file_name), expires)
    query = urlencode({"tenant": tenant, "expires": expires, "signature": signature})
    base = settings.exports_public_url.rstrip("/")
    return f"{base}/exports/{job_id}/{quote(file_name)}?{query}"


def link_subject(tenant: str, job_id: uuid.UUID, file_name: str) -> tuple[str, str, str]:
    """What an export's link is signed for."""
    return (str(job_id), tenant, file_name)
