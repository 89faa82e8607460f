"""Giving up waiting: receipts naming a customer id nobody confirmed in time (run by the
job in `entrypoints.jobs`).

A receipt whose customer id neither this service's projection nor the customers service
could confirm (the customers service was unreachable) is kept until the registration
arrives. If none arrives within `customer_wait_seconds`, the receipt goes to the POS
dead-letter topic with the reason, as a POS message refused at once would, and is
counted. Every replica runs the job; the receipts it takes are locked with SKIP LOCKED,
so two replicas never send the same one.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import orjson
import sqlalchemy as sa
from prometheus_client import Counter

from clientcard_contracts import topics
from clientcard_kit.runtime import ServiceRuntime
from clientcard_receipts.commands import GivenUp, give_up_waiting
from clientcard_receipts.db.tables import waiting_tenants
from clientcard_receipts.db.unit_of_work import SOURCE, ReceiptsUnitOfWork
from clientcard_receipts.settings import ReceiptsSettings

RECEIPTS_PER_TENANT = 500
CONSUMER = "receipts/customer-wait"

GIVEN_UP = Counter(
    "clientcard_receipts_customer_wait_expired_total",
    "Receipts sent to the dead letters because their customer id was never confirmed "
    "within the waiting time.",
)


async def give_up_on_late_customers(
    runtime: ServiceRuntime[ReceiptsSettings], now: datetime
) -> int:
    """One pass over the tenants with waiting receipts; returns how many were given up."""
    before = now - timedelta(seconds=runtime.settings.customer_wait_seconds)
    async with runtime.db.transaction() as session:
        tenants = list(await session.scalars(sa.select(waiting_tenants.c.tenant_id)))
    given_up = 0
    for tenant in tenants:
        uow = ReceiptsUnitOfWork.for_tenant(runtime.db, tenant=tenant, source=SOURCE)
        async with uow:
            given_up += await give_up_waiting(
                uow, before, RECEIPTS_PER_TENANT, _dead_letters(runtime, now)
            )
    GIVEN_UP.inc(given_up)
    return given_up


def _dead_letters(
    runtime: ServiceRuntime, now: datetime
) -> Callable[[list[GivenUp]], Awaitable[None]]:
    async def send(given_up: list[GivenUp]) -> None:
        await runtime.publisher.send_many(
            [
                (
                    topics.POS_RECEIPTS_DLQ,
                    (str(g.receipt.waiting_customer_id or g.receipt.pos_id)).encode(),
                    orjson.dumps(g.document),
                    [
                        ("dlq_reason", g.reason.encode()),
                        ("dlq_consumer", CONSUMER.encode()),
                        ("dlq_failed_at", now.isoformat().encode()),
                    ],
                )
                for g in given_up
            ]
        )

    return send
