"""Mailings to segments: one message per member, stats that add up, cancelling, replicas."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from asgi_lifespan import LifespanManager

from clientcard_devstack.provider_doubles.telegram import BotApi
from clientcard_kit.app import create_service_app
from clientcard_kit.db import Database
from clientcard_kit.observability import metrics
from clientcard_kit.testing import eventually
from clientcard_messaging.service import SERVICE
from clientcard_messaging.settings import MessagingSettings

from .conftest import TELEGRAM_TENANT, tenant
from .support import (
    LINK,
    UNSUBSCRIBE,
    conversation,
    deleted,
    error_code,
    in_segments,
    processed,
    publish,
)

pytestmark = pytest.mark.integration

CREATE = """mutation($input: BroadcastInput!) { createBroadcast(input: $input) {
  id name status channel segmentIds scheduledAt stats { recipients } } }"""
CANCEL = """mutation($id: ID!) { cancelBroadcast(id: $id) { id status } }"""
BROADCAST = """query($id: ID!) { broadcast(id: $id) {
  id status stats { recipients sent delivered read failed replied } } }"""
BROADCASTS = """{ broadcasts(first: 10) { totalCount edges { node { id name } } } }"""


@pytest.fixture
async def second_replica(messaging_settings: MessagingSettings) -> AsyncIterator[None]:
    """Another process of the service sending from the same database (no consumers), in
    small batches so that both replicas claim from one mailing at the same time."""
    settings = messaging_settings.model_copy(
        update={"consumers_enabled": False, "send_batch_size": 25}
    )
    async with LifespanManager(create_service_app(SERVICE, settings), startup_timeout=60):
        yield


async def broadcast(call: Any, broadcast_id: str) -> dict[str, Any]:
    found: dict[str, Any] = (await call.data(BROADCAST, id=broadcast_id))["broadcast"]
    return found


async def finished(call: Any, broadcast_id: str, status: str = "SENT") -> dict[str, Any]:
    seen: dict[str, Any] = {}

    async def done() -> bool:
        seen.update(await broadcast(call, broadcast_id))
        return bool(seen["status"] == status)

    await eventually(done, what=f"broadcast {broadcast_id} to be {status}")
    return seen


async def test_a_mailing_to_overlapping_segments_reaches_each_member_once(
    as_tenant: Any,
    client: httpx.AsyncClient,
    messaging_settings: MessagingSettings,
    second_replica: None,
    customer: Any,
) -> None:
    call = as_tenant(tenant())
    regulars, newcomers = str(uuid.uuid4()), str(uuid.uuid4())
    anna, boris, vera, gleb, dina, fedor = [await customer(call) for _ in range(6)]
    await call.data(LINK, c=anna, ch="SMS", a="+79123450101")
    await call.data(LINK, c=boris, ch="VIBER", a="+79123450102")
    await call.data(LINK, c=boris, ch="WHATSAPP", a="+79123450102")
    await call.data(LINK, c=vera, ch="SMS", a="+79123450103")
    await call.data(LINK, c=gleb, ch="SMS", a="+79123450104")
    await call.data(UNSUBSCRIBE, c=gleb, ch="SMS")
    await call.data(LINK, c=fedor, ch="SMS", a="+79123450106")
    t = call.tenant
    await processed(
        messaging_settings,
        await publish(
            messaging_settings,
            [
                in_segments(t, anna, 1, regulars),
                in_segments(t, boris, 1, regulars, newcomers),
                in_segments(t, vera, 1, newcomers),
                in_segments(t, gleb, 1, newcomers),
                in_segments(t, fedor, 2, regulars),
                in_segments(t, fedor, 3),  # left the segment again
                in_segments(t, dina, 1),
            ],
        ),
    )
    created = await call.data(
        CREATE,
        input={
            "name": "Осенняя акция",
            "text": "Скидка 20% на окрашивание до конца недели",
            "segmentIds": [regulars, newcomers, regulars],
            "channel": "WHATSAPP",
        },
    )
    mailing = created["createBroadcast"]
    assert (mailing["status"], mailing["channel"], mailing["segmentIds"]) == (
        "SENDING",
        "WHATSAPP",
        [regulars, newcomers],
    )
    done = await finished(call, mailing["id"])
    assert done["stats"] == {
        "recipients": 3,
        "sent": 3,
        "delivered": 3,
        "read": 0,
        "failed": 0,
        "replied": 0,
    }
    db = Database(messaging_settings.database_url)
    try:
        async with db.transaction(t) as session:
            sent = (
                (
                    await session.execute(
                        sa.text(
                            "SELECT s.address FROM sandbox_sent s "
                            "JOIN messages m ON m.id = s.message_id "
                            "WHERE m.broadcast_id = :id ORDER BY s.address"
                        ),
                        {"id": mailing["id"]},
                    )
                )
                .scalars()
                .all()
            )
    finally:
        await db.dispose()
    assert sent == ["+79123450101", "+79123450102", "+79123450103"]
    to_boris = (await conversation(call, boris))[0]
    assert (to_boris["kind"], to_boris["channel"], to_boris["broadcast"]) == (
        "BROADCAST",
        "WHATSAPP",
        {"id": mailing["id"]},
    )
    # Anna answers, Boris's message is reported read: both show in the stats.
    reply = {"channel": "SMS", "address": "+79123450101", "text": "А на стрижку?"}
    assert (await client.post(f"/channels/sandbox/{t}/inbound", json=reply)).status_code == 200
    read = {"channel": "WHATSAPP", "messageId": to_boris["id"], "status": "READ"}
    assert (await client.post(f"/channels/sandbox/{t}/inbound", json=read)).status_code == 200
    stats = (await broadcast(call, mailing["id"]))["stats"]
    assert (stats["read"], stats["replied"], stats["delivered"]) == (1, 1, 3)
    answer = (await conversation(call, anna))[0]
    assert (answer["kind"], answer["broadcast"]) == ("REPLY", {"id": mailing["id"]})
    listed = (await call.data(BROADCASTS))["broadcasts"]
    assert (listed["totalCount"], listed["edges"][0]["node"]["id"]) == (1, mailing["id"])

    # Anna and Boris are erased: their conversations go, the mailing's figures stay.
    await processed(
        messaging_settings,
        await publish(messaging_settings, [deleted(t, anna), deleted(t, boris)]),
    )
    assert await conversation(call, anna) == await conversation(call, boris) == []
    assert (await broadcast(call, mailing["id"]))["stats"] == stats


async def test_a_scheduled_mailing_waits_and_can_be_cancelled(as_tenant: Any) -> None:
    call = as_tenant(tenant())
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    created = await call.data(
        CREATE,
        input={
            "name": "Завтра",
            "text": "Ждём",
            "segmentIds": [str(uuid.uuid4())],
            "scheduledAt": later,
        },
    )
    mailing = created["createBroadcast"]
    assert mailing["status"] == "SCHEDULED"
    cancelled = await call.data(CANCEL, id=mailing["id"])
    assert cancelled["cancelBroadcast"]["status"] == "CANCELLED"
    assert error_code(await call(CANCEL, id=mailing["id"])) == "CONFLICT"
    assert error_code(await call(CANCEL, id=str(uuid.uuid4()))) == "NOT_FOUND"


async def test_cancelling_mid_way_stops_what_is_not_sent(
    as_tenant: Any, messaging_settings: MessagingSettings, bot_api: BotApi, customer: Any
) -> None:
    call, segment = as_tenant(TELEGRAM_TENANT), str(uuid.uuid4())
    members = [await customer(call) for _ in range(24)]
    # Consecutive chat ids from a random start: distinct by construction, unlike 24 draws.
    first_chat = 8 * 10**12 + uuid.uuid4().int % 10**12
    chats = [str(first_chat + n) for n in range(len(members))]
    for member, chat in zip(members, chats, strict=True):
        await call.data(LINK, c=member, ch="TELEGRAM", a=chat)
    await processed(
        messaging_settings,
        await publish(
            messaging_settings,
            [in_segments(TELEGRAM_TENANT, member, 1, segment) for member in members],
        ),
    )
    created = await call.data(
        CREATE, input={"name": "Много", "text": "Новинки", "segmentIds": [segment]}
    )
    mailing_id = created["createBroadcast"]["id"]

    async def started() -> bool:
        return bool((await broadcast(call, mailing_id))["stats"]["sent"] >= 2)

    # The bot sends 4 a second in these tests, so 24 take about 6 s.
    await eventually(started, what="the mailing to start sending")
    assert (await call.data(CANCEL, id=mailing_id))["cancelBroadcast"]["status"] == "CANCELLED"

    async def settled() -> bool:
        stats = (await broadcast(call, mailing_id))["stats"]
        return bool(stats["recipients"] == stats["sent"] + stats["failed"])

    await eventually(settled, what="nothing of the mailing to stay queued")
    stats = (await broadcast(call, mailing_id))["stats"]
    assert 2 <= stats["sent"] < len(members)
    reached = sum(1 for chat in chats if bot_api.delivered(chat))
    assert reached == stats["sent"]


async def test_mailing_input_is_checked(as_tenant: Any) -> None:
    call = as_tenant(tenant())
    empty = await call(CREATE, input={"name": "x", "text": "y", "segmentIds": []})
    assert error_code(empty) == "BAD_USER_INPUT"
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    late = await call(
        CREATE,
        input={"name": "x", "text": "y", "segmentIds": [str(uuid.uuid4())], "scheduledAt": past},
    )
    assert error_code(late) == "BAD_USER_INPUT"
    blank = await call(CREATE, input={"name": "x", "text": " ", "segmentIds": [str(uuid.uuid4())]})
    assert error_code(blank) == "BAD_USER_INPUT"
    assert (await call.data(BROADCASTS))["broadcasts"]["totalCount"] == 0


async def test_replicas_share_a_mailing_and_send_each_message_once(
    as_tenant: Any, messaging_settings: MessagingSettings, second_replica: None
) -> None:
    call, segment = as_tenant(tenant()), str(uuid.uuid4())
    members = [str(uuid.uuid4()) for _ in range(300)]  # never written through the API
    db = Database(messaging_settings.database_url)
    try:
        # Subscriptions written straight into the table: 300 mutations would only be slow.
        async with db.transaction(call.tenant) as session:
            await session.execute(
                sa.text(
                    "INSERT INTO subscriptions (tenant_id, customer_id, channel, address, status,"
                    " is_default, subscribed_at) SELECT :t, c, 'SMS', '+7916' || lpad(n::text, 7,"
                    " '0'), 'ACTIVE', true, now() FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY"
                    " AS m(c, n)"
                ),
                {"t": call.tenant, "ids": members},
            )
        await processed(
            messaging_settings,
            await publish(
                messaging_settings, [in_segments(call.tenant, m, 1, segment) for m in members]
            ),
        )
        failures_before = _send_failures()
        created = await call.data(
            CREATE, input={"name": "Всем", "text": "Привет", "segmentIds": [segment]}
        )
        mailing_id = created["createBroadcast"]["id"]
        done = await finished(call, mailing_id)
        assert (done["stats"]["recipients"], done["stats"]["delivered"]) == (300, 300)
        async with db.transaction(call.tenant) as session:
            recorded = await session.scalar(
                sa.text(
                    "SELECT count(*) FROM sandbox_sent s JOIN messages m ON m.id = s.message_id"
                    " WHERE m.broadcast_id = :id"
                ),
                {"id": mailing_id},
            )
    finally:
        await db.dispose()
    assert recorded == 300
    # A message claimed twice would have failed a tick on the sandbox's primary key.
    assert _send_failures() == failures_before


def _send_failures() -> float:
    value: float = metrics.JOB_FAILURES.labels("messaging", "send-queue")._value.get()
    return value
