"""A merge of two customers: the duplicate's conversation, NPS answers and the messengers
the survivor lacks become the survivor's, once, answered with its messengers."""

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from clientcard_contracts.events.customers import CustomerMerged
from clientcard_kit.db import Database
from clientcard_kit.testing import eventually, publish_events
from clientcard_messaging.settings import MessagingSettings

from .conftest import tenant
from .support import LINK, SEND, conversation, messengers, processed, publish
from .test_nps import NPS, answer, receipt, surveys

pytestmark = pytest.mark.integration


async def _answers(settings: MessagingSettings, name: str) -> list[dict[str, Any]]:
    db = Database(settings.database_url)
    try:
        async with db.transaction() as session:
            found = await session.execute(
                sa.text(
                    "SELECT data FROM outbox WHERE tenant_id = :t "
                    "AND event_type = 'messaging.customer.merge.applied.v1' ORDER BY seq"
                ),
                {"t": name},
            )
            return [row.data for row in found]
    finally:
        await db.dispose()


async def test_the_conversation_answers_and_missing_messengers_move_to_the_survivor_once(
    as_tenant: Any, client: httpx.AsyncClient, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call = as_tenant(tenant())
    survivor, duplicate, bystander = (
        await customer(call),
        await customer(call),
        await customer(call),
    )
    await call.data(LINK, c=survivor, ch="SMS", a="+79123450301")
    await call.data(LINK, c=duplicate, ch="SMS", a="+79123450302")
    await call.data(LINK, c=duplicate, ch="WHATSAPP", a="+79123450303")
    await call.data(LINK, c=bystander, ch="SMS", a="+79123450304")
    await call.data(SEND, c=survivor, t="Ждём вас в пятницу")
    await processed(
        messaging_settings, await publish(messaging_settings, [receipt(call.tenant, duplicate)])
    )

    async def surveyed() -> bool:
        sent = await surveys(call, duplicate)
        return bool(sent) and sent[0]["status"] == "DELIVERED"

    await eventually(surveyed, what="the duplicate's survey to be delivered")
    await answer(client, call.tenant, "+79123450302", "9")
    before = len(await conversation(call, duplicate))

    merged = CustomerMerged(
        tenant_id=call.tenant,
        customer_id=uuid.UUID(duplicate),
        occurred_at=datetime.now(UTC),
        survivor_id=uuid.UUID(survivor),
    )
    servers = messaging_settings.kafka_bootstrap_servers
    ids = await publish_events(servers, [merged])
    await publish_events(servers, [merged], [uuid.UUID(ids[0])])
    await processed(messaging_settings, ids)

    kept = await messengers(call, survivor)
    assert [(m["channel"], m["isDefault"], m["status"]) for m in kept] == [
        ("SMS", True, "ACTIVE"),
        ("WHATSAPP", False, "ACTIVE"),
    ]
    assert await messengers(call, duplicate) == []
    assert len(await conversation(call, survivor)) == before + 1
    assert await conversation(call, duplicate) == []
    nps = (await call.data(NPS, id=survivor))["_entities"][0]["nps"]
    assert nps["lastScore"] == 9
    assert len(await conversation(call, bystander)) == 0

    answers = await _answers(messaging_settings, call.tenant)
    assert len(answers) == 1
    (answered,) = answers
    assert (answered["customerId"], answered["duplicateId"]) == (survivor, duplicate)
    assert answered["lastNpsScore"] == 9
    assert answered["messengers"]["defaultChannel"] == "SMS"
    assert answered["messengers"]["version"] > 1
