"""Jobs, their audiences and the runners' queue (tables of migration 0017).

The audience is fixed by one INSERT … SELECT with the list's own filter conditions
(`db.client_filters`), numbered 1… as the runner works through it. A runner reads the
next batch after `done_position` along the `(job_id, position)` index.
"""

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_customers.db import client_search
from clientcard_customers.db.client_filters import conditions
from clientcard_customers.db.job_tables import job_leases, job_members, jobs
from clientcard_customers.db.tables import customers
from clientcard_customers.domain.client_list import ClientFilter
from clientcard_customers.domain.jobs import Job, JobKind, JobParams, JobStatus
from clientcard_kit.db.batches import one_of
from clientcard_kit.db.repository import Repository

_STORED = ("params",)


class JobRepository(Repository):
    async def add(self, job: Job, now: datetime) -> None:
        """The job, and its place in the runners' queue (free to take at once)."""
        await self._session.execute(sa.insert(jobs).values(tenant_id=self._tenant, **_row(job)))
        await self._session.execute(
            sa.insert(job_leases).values(job_id=job.id, tenant_id=self._tenant, until=now)
        )

    async def get(self, job_id: uuid.UUID, *, for_update: bool = False) -> Job | None:
        query = sa.select(jobs).where(jobs.c.id == job_id)
        row = (
            await self._session.execute(query.with_for_update() if for_update else query)
        ).first()
        return None if row is None else _job(row._mapping)

    async def get_many(self, ids: Sequence[uuid.UUID], *, for_update: bool) -> list[Job]:
        query = sa.select(jobs).where(one_of(jobs.c.id, ids)).order_by(jobs.c.id)
        rows = await self._session.execute(query.with_for_update() if for_update else query)
        return [_job(row._mapping) for row in rows]

    async def save(self, job: Job) -> None:
        values = {name: value for name, value in _row(job).items() if name not in _STORED}
        await self._session.execute(sa.update(jobs).where(jobs.c.id == job.id).values(values))

    async def page(self, limit: int, after: tuple[datetime, uuid.UUID] | None) -> list[Job]:
        """The tenant's jobs, newest first."""
        query = sa.select(jobs).order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
        if after is not None:
            created, job_id = after
            query = query.where(sa.tuple_(jobs.c.created_at, jobs.c.id) < (created, job_id))
        return [_job(row._mapping) for row in await self._session.execute(query.limit(limit))]

    async def count(self) -> int:
        return int(await self._session.scalar(sa.select(sa.func.count()).select_from(jobs)) or 0)

    async def fix_audience(self, job_id: uuid.UUID, wanted: ClientFilter, today: date) -> int:
        """Number the customers the filter matches now as the job's members; how many."""
        few = await client_search.few_matches(self._session, wanted.search)
        chosen = sa.select(
            sa.literal(job_id, UUID(as_uuid=True)),
            customers.c.id,
            sa.literal(self._tenant),
            sa.func.row_number().over(order_by=customers.c.id),
        ).where(*conditions(wanted, today, ids_first=few))
        statement = insert(job_members).from_select(
            ["job_id", "customer_id", "tenant_id", "position"], chosen
        )
        await self._session.execute(statement)
        counted = sa.select(sa.func.count()).where(job_members.c.job_id == job_id)
        return int(await self._session.scalar(counted) or 0)

    async def members(
        self, job_id: uuid.UUID, after: int, limit: int
    ) -> list[tuple[int, uuid.UUID]]:
        """The next members after position `after`, in order."""
        rows = await self._session.execute(
            sa.select(job_members.c.position, job_members.c.customer_id)
            .where(job_members.c.job_id == job_id, job_members.c.position > after)
            .order_by(job_members.c.position)
            .limit(limit)
        )
        return [(position, customer_id) for position, customer_id in rows]

    async def mark_applied(
        self, pairs: Sequence[tuple[uuid.UUID, uuid.UUID]]
    ) -> Counter[uuid.UUID]:
        """Mark members applied (job id, customer id); how many were newly so, per job."""
        if not pairs:
            return Counter()
        given = (
            sa.func.unnest(
                sa.bindparam("job_ids", [job for job, _ in pairs], type_=ARRAY(UUID(as_uuid=True))),
                sa.bindparam(
                    "customer_ids", [c for _, c in pairs], type_=ARRAY(UUID(as_uuid=True))
                ),
            )
            .table_valued("job_id", "customer_id")
            .render_derived(name="given")
        )
        marked = await self._session.scalars(
            sa.update(job_members)
            .where(
                job_members.c.job_id == given.c.job_id,
                job_members.c.customer_id == given.c.customer_id,
                ~job_members.c.applied,
            )
            .values(applied=True)
            .returning(job_members.c.job_id)
        )
        return Counter(marked)

    async def release(self, job_id: uuid.UUID) -> None:
        await release(self._session, job_id)

    async def renew(self, job_id: uuid.UUID, owner: str, until: datetime) -> bool:
        return await renew(self._session, job_id, owner, until)

    async def existing(self, customer_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        """Which of these customers still exist (an erased one cannot be acted on)."""
        found = await self._session.scalars(
            sa.select(customers.c.id).where(one_of(customers.c.id, customer_ids))
        )
        return set(found)


async def claim(
    session: AsyncSession, owner: str, now: datetime, lease: timedelta
) -> tuple[uuid.UUID, str] | None:
    """Take the next job no runner holds (or this runner's own), locked for the rest of
    the transaction and leased to `owner` until `now + lease`; its id and tenant."""
    row = (
        await session.execute(
            sa.select(job_leases.c.job_id, job_leases.c.tenant_id)
            .where(sa.or_(job_leases.c.until <= now, job_leases.c.owner == owner))
            .order_by(job_leases.c.until)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
    ).first()
    if row is None:
        return None
    await session.execute(
        sa.update(job_leases)
        .where(job_leases.c.job_id == row.job_id)
        .values(owner=owner, until=now + lease)
    )
    return row.job_id, row.tenant_id


async def renew(session: AsyncSession, job_id: uuid.UUID, owner: str, until: datetime) -> bool:
    """Keep holding a job this runner holds; False when it no longer does."""
    held = await session.scalar(
        sa.update(job_leases)
        .where(job_leases.c.job_id == job_id, job_leases.c.owner == owner)
        .values(until=until)
        .returning(job_leases.c.job_id)
    )
    return held is not None


async def release(session: AsyncSession, job_id: uuid.UUID) -> None:
    """Out of the queue: nothing more for a runner to do."""
    await session.execute(sa.delete(job_leases).where(job_leases.c.job_id == job_id))


def _row(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind.value,
        "status": job.status.value,
        "params": job.params.to_document(),
        "author": job.author,
        "total": job.total,
        "processed": job.processed,
        "failed": job.failed,
        "done_position": job.done_position,
        "error": job.error,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "download_key": job.download_key,
        "download_size": job.download_size,
        "download_expires_at": job.download_expires_at,
    }


def _job(row: Any) -> Job:
    return Job(
        id=row["id"],
        kind=JobKind(row["kind"]),
        status=JobStatus(row["status"]),
        params=JobParams.from_document(row["params"]),
        author=row["author"],
        created_at=row["created_at"],
        total=row["total"],
        processed=row["processed"],
        failed=row["failed"],
        done_position=row["done_position"],
        error=row["error"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        download_key=row["download_key"],
        download_size=row["download_size"],
        download_expires_at=row["download_expires_at"],
    )
