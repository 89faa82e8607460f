"""Jobs through the API against the real PostgreSQL and Kafka: each kind on known
customers (the service's own runner does the work), bad input refused with its code,
each tenant seeing only its own jobs."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from clientcard_contracts.enums import BonusEvent, BonusOperationType, Gender, RegistrationSource
from clientcard_contracts.events.bonuses import BonusAccountTotals, BonusTransactionRecorded
from clientcard_customers import commands
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import ClientFilter
from clientcard_customers.domain.profile import NewCustomer, Profile, Registration
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database
from clientcard_kit.testing import eventually, processed, publish_events

from .calls import error_code, tenant

pytestmark = pytest.mark.integration

NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)
JOB = "id kind status total processed failed createdAt finishedAt error downloadUrl"
ASSIGN = f"""
mutation($filter: CustomerFilter!, $segments: [ID!]!) {{
  assignSegmentsByFilter(filter: $filter, segmentIds: $segments) {{ {JOB} }}
}}"""
UNASSIGN = f"""
mutation($filter: CustomerFilter!, $segments: [ID!]!) {{
  unassignSegmentsByFilter(filter: $filter, segmentIds: $segments) {{ {JOB} }}
}}"""
ACCRUE = f"""
mutation($filter: CustomerFilter!, $amount: Decimal!, $comment: String, $expiresAt: DateTime) {{
  accrueBonusesByFilter(filter: $filter, amount: $amount, comment: $comment,
                        expiresAt: $expiresAt) {{ {JOB} }}
}}"""
GET = f"query($id: ID!) {{ job(id: $id) {{ {JOB} }} }}"
LIST = f"""
query($first: Int, $after: String) {{
  jobs(first: $first, after: $after) {{
    totalCount edges {{ cursor node {{ {JOB} }} }} pageInfo {{ hasNextPage endCursor }}
  }}
}}"""
CANCEL = f"mutation($id: ID!) {{ cancelJob(id: $id) {{ {JOB} }} }}"
WOMEN = {"gender": "FEMALE"}


@dataclass
class Shop:
    tenant: str
    women: list[uuid.UUID]
    men: list[uuid.UUID]
    gift: uuid.UUID
    dynamic: uuid.UUID


async def register(db: Database, tenant_id: str, index: int, gender: Gender) -> uuid.UUID:
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant_id, source="tests") as uow:
        customer = await commands.register_customer(
            uow,
            NewCustomer(
                phone=f"+7912{uuid.uuid4().int % 10_000_000:07d}",
                profile=Profile(first_name=f"Клиент{index}", gender=gender),
                registration=Registration(registered_at=NOW, source=RegistrationSource.POS),
            ),
        )
    return customer.id


@pytest.fixture
async def db(customers_settings: CustomersSettings) -> AsyncIterator[Database]:
    database = Database(customers_settings.database_url)
    yield database
    await database.dispose()


@pytest.fixture
async def shop(db: Database) -> Shop:
    """Four women and three men; a manual segment and a dynamic one holding the members
    of the manual one."""
    tenant_id = tenant()
    women = [await register(db, tenant_id, i, Gender.FEMALE) for i in range(4)]
    men = [await register(db, tenant_id, i, Gender.MALE) for i in range(3)]
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant_id, source="tests") as uow:
        gift = await commands.create_segment(uow, "Подарок")
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant_id, source="tests") as uow:
        follows = ClientFilter(segment_ids=(gift.id,))
        dynamic = await commands.create_segment(uow, "Все с подарком", follows)
    return Shop(tenant_id, women, men, gift.id, dynamic.id)


async def finished(call: Any, job_id: str) -> dict[str, Any]:
    """The job once it stopped running (the service's own runner works on it)."""
    seen: dict[str, Any] = {}

    async def done() -> bool:
        seen.update((await call.data(GET, id=job_id))["job"])
        return seen["status"] not in ("QUEUED", "RUNNING")

    await eventually(done, what=f"job {job_id} to finish")
    return seen


async def members(db: Database, tenant_id: str, segment_id: uuid.UUID) -> set[uuid.UUID]:
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant_id, source="tests") as uow:
        return set(await uow.segments.members(segment_id))


async def announced(db: Database, event_type: str, customer_ids: list[uuid.UUID]) -> list[str]:
    """The keys (customer ids) of the service's outbox events of a type about them."""
    async with db.transaction() as session:
        keys = await session.scalars(
            sa.text("SELECT key FROM outbox WHERE event_type = :type AND key = ANY(:keys)"),
            {"type": event_type, "keys": [str(customer) for customer in customer_ids]},
        )
        return sorted(keys)


SEGMENTS_CHANGED = "customers.customer.segments.changed.v1"


async def test_assigning_by_filter_puts_exactly_the_matches_in_and_announces_each(
    as_tenant: Any, db: Database, shop: Shop
) -> None:
    call = as_tenant(shop.tenant, "MANAGER")
    started = (await call.data(ASSIGN, filter=WOMEN, segments=[str(shop.gift)]))[
        "assignSegmentsByFilter"
    ]
    assert (started["kind"], started["status"], started["total"]) == (
        "ASSIGN_SEGMENTS",
        "QUEUED",
        None,
    )
    job = await finished(call, started["id"])
    assert (job["status"], job["total"], job["processed"], job["failed"]) == (
        "SUCCEEDED",
        4,
        4,
        0,
    )
    assert job["finishedAt"] is not None
    assert job["error"] is None
    assert await members(db, shop.tenant, shop.gift) == set(shop.women)
    # The dynamic segment that follows the manual one came along in the same batch.
    assert await members(db, shop.tenant, shop.dynamic) == set(shop.women)
    everyone = shop.women + shop.men
    # Each woman announced once per change: joining the manual, then the dynamic segment.
    first = await announced(db, SEGMENTS_CHANGED, everyone)
    assert sorted(set(first)) == sorted(str(w) for w in shop.women)

    again = (await call.data(ASSIGN, filter=WOMEN, segments=[str(shop.gift)]))[
        "assignSegmentsByFilter"
    ]
    assert (await finished(call, again["id"]))["processed"] == 4
    # Nobody's segments changed the second time, so nobody was announced again.
    assert await announced(db, SEGMENTS_CHANGED, everyone) == first


async def test_unassigning_by_filter_takes_out_only_the_matches(
    as_tenant: Any, db: Database, shop: Shop
) -> None:
    call = as_tenant(shop.tenant, "OWNER")
    everyone = {"registrationSources": ["POS"]}
    assigned = await call.data(ASSIGN, filter=everyone, segments=[str(shop.gift)])
    await finished(call, assigned["assignSegmentsByFilter"]["id"])
    men = {"gender": "MALE"}
    started = (await call.data(UNASSIGN, filter=men, segments=[str(shop.gift)]))[
        "unassignSegmentsByFilter"
    ]
    job = await finished(call, started["id"])
    assert (job["kind"], job["status"], job["total"], job["processed"]) == (
        "UNASSIGN_SEGMENTS",
        "SUCCEEDED",
        3,
        3,
    )
    assert await members(db, shop.tenant, shop.gift) == set(shop.women)
    assert await members(db, shop.tenant, shop.dynamic) == set(shop.women)


async def test_a_filter_nobody_matches_succeeds_with_total_zero(
    as_tenant: Any, db: Database, shop: Shop
) -> None:
    call = as_tenant(shop.tenant)
    nobody = {"search": "Никтотакой"}
    started = await call.data(ASSIGN, filter=nobody, segments=[str(shop.gift)])
    job = await finished(call, started["assignSegmentsByFilter"]["id"])
    assert (job["status"], job["total"], job["processed"], job["failed"]) == (
        "SUCCEEDED",
        0,
        0,
        0,
    )
    assert await members(db, shop.tenant, shop.gift) == set()


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


async def test_segments_a_job_cannot_change_are_refused(
    as_tenant: Any, db: Database, shop: Shop
) -> None:
    call = as_tenant(shop.tenant)
    other = await as_tenant(tenant())('mutation { createSegment(name: "Чужой") { id } }')
    foreign = other["data"]["createSegment"]["id"]
    for segments in ([str(shop.dynamic)], [foreign], [str(uuid.uuid4())], []):
        for mutation in (ASSIGN, UNASSIGN):
            answer = await call(mutation, filter=WOMEN, segments=segments)
            assert error_code(answer) == "BAD_USER_INPUT", (segments, answer)
    assert (await call.data(LIST))["jobs"]["totalCount"] == 0


async def test_a_viewer_may_watch_but_not_start_or_cancel(as_tenant: Any, shop: Shop) -> None:
    manager, viewer = as_tenant(shop.tenant), as_tenant(shop.tenant, "VIEWER")
    for mutation, arguments in (
        (ASSIGN, {"filter": WOMEN, "segments": [str(shop.gift)]}),
        (UNASSIGN, {"filter": WOMEN, "segments": [str(shop.gift)]}),
        (ACCRUE, {"filter": WOMEN, "amount": "-1"}),
    ):
        assert error_code(await viewer(mutation, **arguments)) == "FORBIDDEN"
    started = await manager.data(ASSIGN, filter=WOMEN, segments=[str(shop.gift)])
    job_id = started["assignSegmentsByFilter"]["id"]
    assert error_code(await viewer(CANCEL, id=job_id)) == "FORBIDDEN"
    assert (await viewer.data(GET, id=job_id))["job"]["id"] == job_id


async def test_a_tenant_sees_and_cancels_only_its_own_jobs(as_tenant: Any, shop: Shop) -> None:
    mine, theirs = as_tenant(shop.tenant), as_tenant(tenant())
    first = await mine.data(ASSIGN, filter=WOMEN, segments=[str(shop.gift)])
    second = await mine.data(UNASSIGN, filter=WOMEN, segments=[str(shop.gift)])
    ids = [second["unassignSegmentsByFilter"]["id"], first["assignSegmentsByFilter"]["id"]]
    assert (await theirs.data(GET, id=ids[0]))["job"] is None
    assert (await theirs.data(LIST))["jobs"]["totalCount"] == 0
    assert error_code(await theirs(CANCEL, id=ids[0])) == "NOT_FOUND"
    # The owner pages through them, newest first.
    page = (await mine.data(LIST, first=1))["jobs"]
    assert page["totalCount"] == 2
    assert page["pageInfo"]["hasNextPage"]
    rest = (await mine.data(LIST, first=1, after=page["pageInfo"]["endCursor"]))["jobs"]
    listed = [page["edges"][0]["node"]["id"], rest["edges"][0]["node"]["id"]]
    assert listed == ids
    assert not rest["pageInfo"]["hasNextPage"]


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
