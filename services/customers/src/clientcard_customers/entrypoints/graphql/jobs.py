"""Jobs in the customers subgraph: starting them on a filter's customers, watching them,
cancelling them. Each mutation checks the role and the arguments, then queues the job;
the runners (`entrypoints.jobs`) do the work."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import strawberry

from clientcard_customers.commands import jobs as commands
from clientcard_customers.commands.exports import download_url
from clientcard_customers.domain import jobs as rules
from clientcard_customers.domain.client_list import ClientFilter, ClientOrder
from clientcard_customers.domain.exports import Column, ExportFormat, chosen_columns
from clientcard_customers.domain.jobs import JobKind, JobParams, JobStatus
from clientcard_customers.entrypoints.graphql.context import Info
from clientcard_customers.entrypoints.graphql.inputs import CustomerFilter, CustomerOrder, ids
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.auth import Role
from clientcard_kit.graphql import Connection, page_request

JOBS_PAGE = 20

JobKindType = strawberry.enum(JobKind, name="JobKind")
JobStatusType = strawberry.enum(JobStatus, name="JobStatus")


ExportFormatType = strawberry.enum(ExportFormat, name="ExportFormat")
CustomerColumnType = strawberry.enum(Column, name="CustomerColumn")


@strawberry.federation.type(keys=["id"])
class Job:
    id: strawberry.ID
    kind: JobKindType  # type: ignore[valid-type]
    status: JobStatusType  # type: ignore[valid-type]
    total: int | None = strawberry.field(
        description="Customers in the job's audience, fixed when it starts; null before."
    )
    processed: int = strawberry.field(description="Customers the job has applied so far.")
    failed: int = strawberry.field(
        description="Customers it could not apply (erased since the job started)."
    )
    created_at: datetime
    finished_at: datetime | None
    error: str | None
    download_url: str | None = strawberry.field(
        description="EXPORT only: a link that works without a token until it expires."
    )

    @classmethod
    def of(cls, job: rules.Job, download_url: str | None = None) -> "Job":
        return cls(
            id=strawberry.ID(str(job.id)),
            kind=job.kind,
            status=job.status,
            total=job.total,
            processed=job.processed,
            failed=job.failed,
            created_at=job.created_at,
            finished_at=job.finished_at,
            error=job.error,
            download_url=download_url,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Job | None":
        return await _job(info, id)


def _shown(info: Info, job: rules.Job) -> Job:
    """The job as the API shows it: a finished export with its download link."""
    if job.download_key is None or job.download_expires_at is None:
        return Job.of(job)
    settings = info.context.services.runtime.settings
    assert isinstance(settings, CustomersSettings)
    file_name = job.download_key.rsplit("/", 1)[-1]
    tenant = info.context.services.tenant
    return Job.of(job, download_url(settings, tenant, job.id, file_name, job.download_expires_at))


def _now() -> datetime:
    return datetime.now(UTC)


def _filter(wanted: CustomerFilter | None) -> ClientFilter:
    return wanted.to_domain() if wanted is not None else ClientFilter()


async def _job(info: Info, id: strawberry.ID) -> Job | None:
    info.context.require(Role.VIEWER)
    job_id = ids("id", [id])[0]
    async with info.context.services.uow() as uow:
        found = await uow.jobs.get(job_id)
    return _shown(info, found) if found else None


def _author(info: Info) -> str:
    """The caller, who must be a MANAGER or OWNER (checked before any argument)."""
    return info.context.require(Role.MANAGER).subject


async def _start(info: Info, kind: JobKind, params: JobParams, author: str) -> Job:
    run = info.context.services.run
    return _shown(info, await run(commands.start_job, kind, params, author, _now()))


@strawberry.type
class JobQueries:
    @strawberry.field
    async def job(self, info: Info, id: strawberry.ID) -> Job | None:
        return await _job(info, id)

    @strawberry.field
    async def jobs(
        self, info: Info, first: int | None = JOBS_PAGE, after: str | None = None
    ) -> Connection[Job]:
        """The tenant's jobs, newest first."""
        info.context.require(Role.VIEWER)
        page = page_request(first, after, default=JOBS_PAGE, key=(datetime, uuid.UUID))
        position = (page.after[0], page.after[1]) if page.after else None
        async with info.context.services.uow() as uow:
            rows = await uow.jobs.page(page.limit, position)

        async def total() -> int:
            async with info.context.services.uow() as uow:
                return await uow.jobs.count()

        return page.connection(
            rows,
            node=lambda job: _shown(info, job),
            key=lambda job: (job.created_at, job.id),
            total=total,
        )


@strawberry.type
class JobMutations:
    @strawberry.mutation
    async def assign_segments_by_filter(
        self, info: Info, filter: CustomerFilter, segment_ids: list[strawberry.ID]
    ) -> Job:
        """Put every customer the filter matches now in the (manual) segments."""
        author = _author(info)
        params = JobParams(_filter(filter), rules.segment_ids(ids("segmentIds", segment_ids)))
        return await _start(info, JobKind.ASSIGN_SEGMENTS, params, author)

    @strawberry.mutation
    async def unassign_segments_by_filter(
        self, info: Info, filter: CustomerFilter, segment_ids: list[strawberry.ID]
    ) -> Job:
        """Take every customer the filter matches now out of the (manual) segments."""
        author = _author(info)
        params = JobParams(_filter(filter), rules.segment_ids(ids("segmentIds", segment_ids)))
        return await _start(info, JobKind.UNASSIGN_SEGMENTS, params, author)

    @strawberry.mutation
    async def accrue_bonuses_by_filter(
        self,
        info: Info,
        filter: CustomerFilter,
        amount: Decimal,
        comment: str | None = None,
        expires_at: datetime | None = None,
    ) -> Job:
        """A MANUAL accrual of `amount` to every customer the filter matches now, each once."""
        author = _author(info)
        params = rules.accrual_params(_filter(filter), amount, comment, expires_at, _now())
        return await _start(info, JobKind.ACCRUE_BONUSES, params, author)

    @strawberry.mutation
    async def export_customers(
        self,
        info: Info,
        filter: CustomerFilter | None = None,
        order_by: CustomerOrder | None = None,
        # No default in the SDL: left out or null, every column.
        columns: list[CustomerColumnType] | None = strawberry.UNSET,  # type: ignore[valid-type]
        format: ExportFormatType = ExportFormat.CSV,  # type: ignore[valid-type]
    ) -> Job:
        """The customers the filter matches, in the list's order, as a file to download."""
        author = _author(info)
        listed = None if columns is None or columns is strawberry.UNSET else columns
        chosen = None if listed is None else chosen_columns(listed)
        params = JobParams(
            filter=_filter(filter),
            order=order_by.to_domain() if order_by else ClientOrder(),
            columns=None if chosen is None else tuple(column.value for column in chosen),
            format=ExportFormat(format).value,
        )
        return await _start(info, JobKind.EXPORT, params, author)

    @strawberry.mutation
    async def cancel_job(self, info: Info, id: strawberry.ID) -> Job:
        """Stop the job between two batches; what it did stays done."""
        info.context.require(Role.MANAGER)
        run = info.context.services.run
        return _shown(info, await run(commands.cancel_job, ids("id", [id])[0], _now()))
