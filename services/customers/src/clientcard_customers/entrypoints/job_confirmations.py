"""How the customers service counts what bonuses applied for its jobs.

A bonus operation made for a job (a bulk accrual) names the job in its
`bonus.transaction.recorded`; the figures consumer, which reads those events for the
balance anyway, also counts them into the job's progress, in the same transaction and
at most once per job and customer (`commands.jobs.count_applied`).
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts.events import bonuses
from clientcard_customers.commands.jobs import count_applied
from clientcard_customers.db.unit_of_work import SOURCE, CustomersUnitOfWork
from clientcard_kit.batch_consumers import BatchHandler
from clientcard_kit.events.inbound import Handler, InboundMessage


def _job_members(messages: Sequence[InboundMessage]) -> list[tuple[uuid.UUID, uuid.UUID]]:
    found = []
    for message in messages:
        operation = message.payload
        if isinstance(operation, bonuses.BonusTransactionRecorded) and operation.job_id:
            found.append((operation.job_id, operation.customer_id))
    return found


async def _count(session: AsyncSession, tenant: str, messages: Sequence[InboundMessage]) -> None:
    applied = _job_members(messages)
    if not applied:
        return
    async with CustomersUnitOfWork.joining(session, tenant=tenant, source=SOURCE) as uow:
        await count_applied(uow, applied, datetime.now(UTC))


def counting_jobs(handle: Handler) -> Handler:
    """The handler of one bonus operation, which also counts it for its job."""

    async def handled(session: AsyncSession, message: InboundMessage) -> None:
        await handle(session, message)
        await _count(session, message.tenant_id, [message])

    return handled


def counting_jobs_in_batch(handle: BatchHandler) -> BatchHandler:
    """The handler of a tenant's batch of bonus operations, which also counts them."""

    async def handled(
        session: AsyncSession, tenant: str, messages: Sequence[InboundMessage]
    ) -> list[str | None]:
        outcomes = await handle(session, tenant, messages)
        await _count(session, tenant, messages)
        return outcomes

    return handled
