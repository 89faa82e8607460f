"""Bonus accrual and export jobs through the API against the real PostgreSQL and Kafka, on
known customers: accruals asked of bonuses and counted from its confirmations, an export's
file behind its link."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from clientcard_contracts.enums import BonusEvent, BonusOperationType
from clientcard_contracts.events.bonuses import BonusAccountTotals, BonusTransactionRecorded
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database
from clientcard_kit.testing import eventually, processed, publish_events

from .calls import error_code
from .jobs_support import (  # noqa: F401 (fixtures used here)
    ACCRUE,
    GET,
    JOB,
    WOMEN,
    Shop,
    announced,
    db_fixture,
    finished,
    shop_fixture,
)

pytestmark = pytest.mark.integration


def recorded(tenant_id: str, job_id: uuid.UUID | None, customer: uuid.UUID) -> Any:
    """A manual accrual as bonuses announces it, for the job."""
    now = datetime.now(UTC)
    return BonusTransactionRecorded(
        tenant_id=tenant_id,
        customer_id=customer,
        occurred_at=now,
        operation_id=uuid.uuid4(),
        type=BonusOperationType.ACCRUAL,
        event=BonusEvent.MANUAL,
        amount=Decimal("150.00"),
        balance_after=Decimal("150.00"),
        comment="Подарок",
        author="manager@shop",
        account=BonusAccountTotals(
            version=2,
            balance=Decimal("150.00"),
            accrued=Decimal("150.00"),
            spent=Decimal(0),
            expired=Decimal(0),
        ),
        job_id=job_id,
    )


async def test_an_accrual_asks_bonuses_for_each_match_and_counts_what_bonuses_applied(
    as_tenant: Any, db: Database, shop: Shop, customers_settings: CustomersSettings
) -> None:
    call = as_tenant(shop.tenant)
    expires = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    started = await call.data(
        ACCRUE, filter=WOMEN, amount="150.00", comment=" Подарок ", expiresAt=expires
    )
    job_id = started["accrueBonusesByFilter"]["id"]

    async def all_asked() -> bool:
        return len(await announced(db, "customers.bonus.accrual.requested.v1", shop.women)) == 4

    await eventually(all_asked, what="every woman's accrual asked of bonuses")
    async with db.transaction() as session:
        asked = (
            await session.execute(
                sa.text("SELECT data FROM outbox WHERE event_type = :type AND key = ANY(:keys)"),
                {
                    "type": "customers.bonus.accrual.requested.v1",
                    "keys": [str(customer) for customer in shop.women],
                },
            )
        ).scalars()
        bodies = list(asked)
    assert {(b["jobId"], b["amount"], b["comment"], b["author"]) for b in bodies} == {
        (job_id, "150.00", "Подарок", f"manager@{shop.tenant}")
    }
    waiting = (await call.data(GET, id=job_id))["job"]
    assert (waiting["status"], waiting["total"], waiting["processed"]) == ("RUNNING", 4, 0)

    # Bonuses applies them; one confirmation arrives twice, another operation has no job.
    job = uuid.UUID(job_id)
    confirmations = [recorded(shop.tenant, job, customer) for customer in shop.women]
    confirmations.append(confirmations[0])
    confirmations.append(recorded(shop.tenant, None, shop.men[0]))
    ids = await publish_events(customers_settings.kafka_bootstrap_servers, confirmations)
    await processed(customers_settings.database_url, ids)
    done = await finished(call, job_id)
    assert (done["status"], done["total"], done["processed"], done["failed"]) == (
        "SUCCEEDED",
        4,
        4,
        0,
    )


BAD_INPUT = [
    (ACCRUE, {"filter": WOMEN, "amount": "-10.00"}),
    (ACCRUE, {"filter": WOMEN, "amount": "0"}),
    (ACCRUE, {"filter": WOMEN, "amount": "10", "expiresAt": "2020-01-01T00:00:00Z"}),
]


@pytest.mark.parametrize(("mutation", "arguments"), BAD_INPUT)
async def test_a_bad_accrual_is_refused(
    as_tenant: Any, shop: Shop, mutation: str, arguments: dict[str, Any]
) -> None:
    answer = await as_tenant(shop.tenant)(mutation, **arguments)
    assert error_code(answer) == "BAD_USER_INPUT", answer


EXPORT = f"""
mutation($filter: CustomerFilter, $columns: [CustomerColumn!], $format: ExportFormat!) {{
  exportCustomers(filter: $filter, columns: $columns, format: $format) {{ {JOB} }}
}}"""


async def test_an_export_job_writes_the_matches_to_a_file_behind_its_link(
    as_tenant: Any, client: Any, shop: Shop
) -> None:
    call = as_tenant(shop.tenant)
    started = await call.data(EXPORT, filter=WOMEN, columns=["NAME", "GENDER"], format="CSV")
    job = await finished(call, started["exportCustomers"]["id"])
    assert (job["kind"], job["status"], job["total"], job["processed"]) == (
        "EXPORT",
        "SUCCEEDED",
        4,
        4,
    )
    link = urlsplit(job["downloadUrl"])
    assert link.path.endswith(".csv")
    downloaded = await client.get(f"{link.path}?{link.query}")
    assert downloaded.status_code == 200
    lines = downloaded.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "ФИО;Пол"
    assert sorted(lines[1:]) == [f"Клиент{i};Женский" for i in range(4)]
    # The link is the tenant's own: the same path for another tenant is refused.
    forged = link.query.replace(f"tenant={shop.tenant}", "tenant=other")
    assert (await client.get(f"{link.path}?{forged}")).status_code == 403


async def test_an_export_of_no_columns_is_refused(as_tenant: Any, shop: Shop) -> None:
    answer = await as_tenant(shop.tenant)(EXPORT, filter=WOMEN, columns=[], format="XLSX")
    assert error_code(answer) == "BAD_USER_INPUT"
    viewer = as_tenant(shop.tenant, "VIEWER")
    assert error_code(await viewer(EXPORT, filter=WOMEN, format="CSV")) == "FORBIDDEN"
