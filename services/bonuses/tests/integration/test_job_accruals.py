"""Accruals asked by a customers job (`accrueBonusesByFilter`): each a MANUAL operation
with the job's comment, author and lot expiry, made once per job and customer however
often the request arrives, and announced with the job's id; `accrueBonuses` with a lot
expiry of its own."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from clientcard_bonuses.settings import BonusesSettings
from clientcard_contracts.events.customers import BonusAccrualRequested
from clientcard_kit.db import Database
from clientcard_kit.testing import processed

from .support import error_code, ledger_disagreements, outbox_events, publish, tenant

pytestmark = pytest.mark.integration

CARD = """query($r: [_Any!]!) {
  _entities(representations: $r) { ... on Customer { id bonuses { balance
    operations(first: 10) { totalCount edges { node { type event amount comment author
      expiresAt } } } } } } }"""
ACCRUE = """mutation($c: ID!, $a: Decimal!, $e: DateTime) {
  accrueBonuses(customerId: $c, amount: $a, expiresAt: $e) { amount expiresAt } }"""
RECORDED = "bonuses.bonus.transaction.recorded.v1"


def asked(tenant_id: str, job: uuid.UUID, customer: uuid.UUID, expires: datetime) -> Any:
    return BonusAccrualRequested(
        tenant_id=tenant_id,
        customer_id=customer,
        occurred_at=datetime.now(UTC),
        job_id=job,
        amount=Decimal("150.00"),
        comment="Подарок к празднику",
        author="manager@shop",
        expires_at=expires,
    )


async def card(call: Any, customer: uuid.UUID) -> dict[str, Any]:
    answer = await call(CARD, r=[{"__typename": "Customer", "id": str(customer)}])
    assert "errors" not in answer, answer
    found: dict[str, Any] = answer["data"]["_entities"][0]["bonuses"]
    return found


async def test_each_customer_of_a_job_gets_one_manual_accrual_however_often_asked(
    as_tenant: Any, bonuses_settings: BonusesSettings, db: Database
) -> None:
    name, job = tenant(), uuid.uuid4()
    customers = [uuid.uuid4() for _ in range(3)]
    expires = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    requests = [asked(name, job, customer, expires) for customer in customers]
    repeated = uuid.uuid4()
    # The first request arrives three times: twice as one event, once as another.
    events = [requests[0], requests[0], *requests]
    ids = [repeated, repeated, *[uuid.uuid4() for _ in requests]]
    await publish(bonuses_settings, *events, event_ids=ids)
    await processed(bonuses_settings.database_url, [str(event_id) for event_id in ids])
    # A request replayed later (a job resumed after a crash) changes nothing either.
    again = [uuid.uuid4()]
    await publish(bonuses_settings, requests[1], event_ids=again)
    await processed(bonuses_settings.database_url, [str(again[0])])

    call = as_tenant(name)
    for customer in customers:
        found = await card(call, customer)
        assert found["balance"] == "150.00"
        assert found["operations"]["totalCount"] == 1
        operation = found["operations"]["edges"][0]["node"]
        assert datetime.fromisoformat(operation.pop("expiresAt")) == expires
        assert operation == {
            "type": "ACCRUAL",
            "event": "MANUAL",
            "amount": "150.00",
            "comment": "Подарок к празднику",
            "author": "manager@shop",
        }
    assert await ledger_disagreements(db, name) == []
    announced = await outbox_events(db, name, RECORDED)
    assert sorted(event["customerId"] for event in announced) == sorted(map(str, customers))
    assert {event["jobId"] for event in announced} == {str(job)}


async def test_a_manual_accrual_may_name_when_its_lot_burns(
    as_tenant: Any, customers_service: Any
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer = str(await customers_service.register(name))
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    assert error_code(await call(ACCRUE, c=customer, a="10.00", e=past)) == "BAD_USER_INPUT"
    later = datetime.now(UTC) + timedelta(days=10)
    made = await call(ACCRUE, c=customer, a="10.00", e=later.isoformat())
    assert "errors" not in made, made
    burns = datetime.fromisoformat(made["data"]["accrueBonuses"]["expiresAt"])
    assert abs(burns - later) < timedelta(milliseconds=1)
    nothing = await call(ACCRUE, c=customer, a="5.00")
    assert "errors" not in nothing, nothing
    # Without a date the program's expiry period (365 days by default) counts from now.
    default = datetime.fromisoformat(nothing["data"]["accrueBonuses"]["expiresAt"])
    assert timedelta(days=364) < default - datetime.now(UTC) <= timedelta(days=365)
