"""Members nothing can be sent to: a mailing and an automation count them as unreachable,
and an automation turned off writes on none of the occasions still waiting."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from clientcard_messaging.settings import MessagingSettings

from .automation_support import UPDATE, delivered, registered, run_at, sale, stats_of
from .automation_support import sent_automations as automatic
from .conftest import tenant
from .support import LINK, UNSUBSCRIBE, in_segments, processed, publish
from .test_broadcasts import CREATE, finished

pytestmark = pytest.mark.integration

STATS = "query($id: ID!) { broadcast(id: $id) { stats { recipients sent unreachable } } }"
SOON = datetime(2030, 6, 1, 9, 0, tzinfo=UTC)


async def test_a_mailing_reports_the_members_with_no_active_subscription(
    as_tenant: Any, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call, segment = as_tenant(tenant()), str(uuid.uuid4())
    reached, unsubscribed, never_linked = [await customer(call) for _ in range(3)]
    await call.data(LINK, c=reached, ch="SMS", a="+79123470001")
    await call.data(LINK, c=unsubscribed, ch="SMS", a="+79123470002")
    await call.data(UNSUBSCRIBE, c=unsubscribed, ch="SMS")
    members = [in_segments(call.tenant, c, 1, segment) for c in (reached, unsubscribed)]
    members.append(in_segments(call.tenant, never_linked, 1, segment))
    await processed(messaging_settings, await publish(messaging_settings, members))
    created = await call.data(
        CREATE, input={"name": "Все", "text": "Акция", "segmentIds": [segment]}
    )
    mailing_id = created["createBroadcast"]["id"]
    await finished(call, mailing_id)
    stats = (await call.data(STATS, id=mailing_id))["broadcast"]["stats"]
    assert stats == {"recipients": 1, "sent": 1, "unreachable": 2}


async def test_an_automation_turned_off_sends_nothing_it_was_waiting_to(
    as_tenant: Any, messaging_settings: MessagingSettings
) -> None:
    call = as_tenant(tenant())
    thanks = {"kind": "AFTER_PURCHASE", "enabled": True, "text": "Спасибо!", "delayDays": 1}
    await call.data(UPDATE, input=thanks)
    anna = uuid.uuid4()
    profile = registered(call.tenant, anna, "Анна", SOON)
    await delivered(messaging_settings, [profile], "customers")
    await call.data(LINK, c=str(anna), ch="SMS", a="+79123470011")
    bought = sale(call.tenant, anna, SOON, uuid.uuid4())
    await delivered(messaging_settings, [bought], "automations-receipts")
    await call.data(UPDATE, input={**thanks, "enabled": False})
    await call.data(UPDATE, input=thanks)
    await run_at(messaging_settings, call.tenant, SOON + timedelta(days=2))
    assert await automatic(call, anna) == []
    assert (await stats_of(call, "AFTER_PURCHASE"))["recipients"] == 0
