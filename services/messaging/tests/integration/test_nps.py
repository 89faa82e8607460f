"""NPS end to end: a sale on Kafka, the survey sent, the answer recorded, the report."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from clientcard_contracts.events.base import Event
from clientcard_contracts.events.messaging import NpsSubmitted
from clientcard_contracts.events.receipts import ReceiptRegistered
from clientcard_kit.db import Database
from clientcard_kit.events.inbound import InboundMessage
from clientcard_kit.testing import eventually
from clientcard_messaging.entrypoints.consumers import survey_scheduler
from clientcard_messaging.settings import MessagingSettings

from .conftest import tenant
from .support import LINK, MessagingEvents, conversation, deleted, processed, publish

pytestmark = pytest.mark.integration

NPS = """query($id: ID!) { _entities(representations: [{__typename: "Customer", id: $id}]) {
  ... on Customer { nps {
    lastScore averageScore responses { score comment receipt { id } }
  } } } }"""
REPORT = """{ npsReport { nps promoters passives detractors responses } }"""


def receipt(tenant_id: str, customer_id: str, kind: str = "SALE", n: int = 1) -> Event:
    now = datetime.now(UTC).isoformat()
    sale_id = str(uuid.uuid4())
    returned = (
        {"originalReceiptId": sale_id, "returnedShare": "1", "returnedShareSoFar": "1"}
        if kind == "RETURN"
        else {}
    )
    return ReceiptRegistered.model_validate(
        {
            "tenantId": tenant_id,
            "customerId": customer_id,
            "occurredAt": now,
            "receiptId": str(uuid.uuid4()),
            "type": kind,
            "posId": "pos-1",
            "outletId": "salon-1",
            "number": f"R-{uuid.uuid4().hex[:6]}",
            "purchasedAt": now,
            "items": [
                {"name": "Стрижка", "quantity": "1", "price": "1500.00", "amount": "1500.00"}
            ],
            "total": "1500.00",
            "paid": "1500.00",
            "bonusesSpent": "0.00",
            **returned,
            "purchaseStats": {
                "version": n,
                "purchases": n,
                "returns": 0,
                "revenue": "1500.00",
                "averageCheck": "1500.00",
            },
        }
    )


async def surveys(call: Any, customer_id: str) -> list[dict[str, Any]]:
    return [m for m in await conversation(call, customer_id) if m["kind"] == "SURVEY"]


async def answer(client: httpx.AsyncClient, tenant_id: str, address: str, text: str) -> None:
    body = {"channel": "SMS", "address": address, "text": text}
    response = await client.post(f"/channels/sandbox/{tenant_id}/inbound", json=body)
    assert response.status_code == 200, response.text


async def test_a_sale_brings_a_survey_whose_answer_is_recorded_and_reported(
    as_tenant: Any, client: httpx.AsyncClient, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call = as_tenant(tenant())
    anna, boris = await customer(call), await customer(call)
    await call.data(LINK, c=anna, ch="SMS", a="+79123450201")
    await call.data(LINK, c=boris, ch="SMS", a="+79123450202")
    sale = receipt(call.tenant, anna)
    await processed(messaging_settings, await publish(messaging_settings, [sale]))

    async def survey_sent() -> bool:
        sent = await surveys(call, anna)
        return bool(sent) and sent[0]["status"] == "DELIVERED"

    await eventually(survey_sent, what="the survey to be delivered")
    await answer(client, call.tenant, "+79123450201", "9")
    await answer(client, call.tenant, "+79123450201", "Мастер очень внимательный")
    found = (await call.data(NPS, id=anna))["_entities"][0]["nps"]
    assert found == {
        "lastScore": 9,
        "averageScore": 9.0,
        "responses": [
            {
                "score": 9,
                "comment": "Мастер очень внимательный",
                "receipt": {"id": str(sale.receipt_id)},  # type: ignore[attr-defined]
            }
        ],
    }
    # Boris answers in one message with a low score.
    await processed(
        messaging_settings, await publish(messaging_settings, [receipt(call.tenant, boris)])
    )

    async def boris_surveyed() -> bool:
        sent = await surveys(call, boris)
        return bool(sent) and sent[0]["status"] == "DELIVERED"

    await eventually(boris_surveyed, what="Boris's survey to be delivered")
    await answer(client, call.tenant, "+79123450202", "3, долго ждал")
    report = (await call.data(REPORT))["npsReport"]
    assert report == {"nps": 0.0, "promoters": 1, "passives": 0, "detractors": 1, "responses": 2}
    published = await MessagingEvents(messaging_settings).of(anna, 4)
    answers = [data for kind, data in published if kind == NpsSubmitted.TYPE]
    assert [(a["score"], a["comment"]) for a in answers] == [
        (9, None),
        (9, "Мастер очень внимательный"),
    ]
    assert answers[0]["responseId"] == answers[1]["responseId"]

    # Erasing Anna removes her from the card but not from the merchant's report.
    await processed(
        messaging_settings, await publish(messaging_settings, [deleted(call.tenant, anna)])
    )
    assert (await call.data(REPORT))["npsReport"] == report
    erased = (await call.data(NPS, id=anna))["_entities"][0]["nps"]
    assert (erased["lastScore"], erased["responses"]) == (None, [])


async def test_one_survey_per_period_no_survey_on_returns_or_without_messenger(
    as_tenant: Any, client: httpx.AsyncClient, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call = as_tenant(tenant())
    vera, gleb = await customer(call), await customer(call)
    await call.data(LINK, c=vera, ch="SMS", a="+79123450203")
    first, second = receipt(call.tenant, vera, n=1), receipt(call.tenant, vera, n=2)
    returned = receipt(call.tenant, vera, kind="RETURN", n=3)
    unreachable = receipt(call.tenant, gleb)
    await processed(
        messaging_settings,
        await publish(messaging_settings, [first, second, returned, unreachable]),
    )
    assert len(await surveys(call, vera)) == 1
    assert await conversation(call, gleb) == []
    # A message that is not a score is just a reply; no answer is recorded.
    await answer(client, call.tenant, "+79123450203", "А можно перенести запись?")
    found = (await call.data(NPS, id=vera))["_entities"][0]["nps"]
    assert found == {"lastScore": None, "averageScore": None, "responses": []}


async def test_the_survey_waits_for_the_configured_delay(
    as_tenant: Any, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call = as_tenant(tenant())
    someone = await customer(call)
    await call.data(LINK, c=someone, ch="SMS", a="+79123450204")
    later = messaging_settings.model_copy(update={"nps_survey_delay_minutes": 90})
    schedule = survey_scheduler(later)
    db = Database(messaging_settings.database_url)
    try:
        async with db.transaction(call.tenant) as session:
            sale = receipt(call.tenant, someone)
            await schedule(session, InboundMessage("e1", sale.TYPE, call.tenant, sale))
            due = await session.scalar(
                sa.text(
                    "SELECT q.due_at - m.created_at FROM send_queue q"
                    " JOIN messages m ON m.id = q.message_id WHERE m.customer_id = :c"
                ),
                {"c": someone},
            )
            await session.rollback()
    finally:
        await db.dispose()
    assert due == timedelta(minutes=90)
