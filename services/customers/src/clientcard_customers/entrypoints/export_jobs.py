"""Writing the file of an EXPORT job, for the job runner (`entrypoints.jobs`).

The file is written outside any transaction (`commands.exports.write_export`); after each
page the rows written are counted into the job and its lease renewed
(`commands.job_exports`). A cancel, or another runner having taken the job over, stops
the writing at the next page and stores nothing.
"""

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from clientcard_customers.commands import job_exports
from clientcard_customers.commands.exports import write_export
from clientcard_customers.db.unit_of_work import SOURCE, CustomersUnitOfWork
from clientcard_customers.domain.client_list import ClientOrder
from clientcard_customers.domain.exports import Column, ExportFormat, ExportRequest, chosen_columns
from clientcard_customers.domain.jobs import Job
from clientcard_customers.settings import CustomersSettings
from clientcard_customers.storage import export_storage
from clientcard_kit.runtime import ServiceRuntime

log = logging.getLogger(__name__)


class _Stopped(Exception):
    """The job was cancelled or is no longer this runner's: stop writing."""


def export_request(job: Job) -> ExportRequest:
    params = job.params
    columns = None if params.columns is None else [Column(name) for name in params.columns]
    return ExportRequest(
        params.filter,
        params.order or ClientOrder(),
        chosen_columns(columns),
        ExportFormat(params.format or ExportFormat.CSV.value),
    )


async def write_job_export(
    runtime: ServiceRuntime[CustomersSettings], owner: str, lease: timedelta, tenant: str, job: Job
) -> None:
    """Write and store the export's file, then mark the job SUCCEEDED with it (or FAILED)."""
    settings, db = runtime.settings, runtime.db

    def work() -> CustomersUnitOfWork:
        return CustomersUnitOfWork.for_tenant(db, tenant=tenant, source=SOURCE)

    async def progress(rows: int) -> None:
        async with work() as uow:
            now = datetime.now(UTC)
            if not await job_exports.count_rows(uow, job.id, rows, owner, lease, now):
                raise _Stopped

    try:
        stored = await write_export(
            db,
            export_storage(settings),
            tenant,
            job.id,
            export_request(job),
            progress,
            zone=ZoneInfo(settings.exports_time_zone),
            keep_for=timedelta(hours=settings.exports_keep_hours),
        )
    except _Stopped:
        return
    except Exception as error:
        log.exception("export %s failed", job.id)
        async with work() as uow:
            reason = f"the export could not be written ({type(error).__name__})"
            await job_exports.fail_export(uow, job.id, reason, datetime.now(UTC))
        return
    async with work() as uow:
        await job_exports.finish_export(
            uow,
            job.id,
            stored.rows,
            stored.key,
            stored.size,
            stored.expires_at,
            datetime.now(UTC),
        )
