"""SMS: a merchant's SMSC account sends, its handler hears statuses and customers' SMS."""

import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from clientcard_devstack.provider_doubles.smsc import SmscApi, inbound_sms, status_call
from clientcard_kit.db import Database
from clientcard_messaging.settings import MessagingSettings

from .conftest import SMS_SECRET, SMS_TENANT
from .support import LINK, SEND, conversation, in_segments, messengers, processed, publish
from .test_broadcasts import CREATE, finished
from .test_sending import settled
from .test_whatsapp import reaches

pytestmark = pytest.mark.integration
HANDLER = f"/channels/sms/{SMS_TENANT}/handler"
FORM = {"content-type": "application/x-www-form-urlencoded"}


def phone() -> str:
    return f"+7926{uuid.uuid4().int % 10**7:07d}"


async def linked(call: Any, customer: Any) -> tuple[str, str]:
    someone, number = await customer(call), phone()
    await call.data(LINK, c=someone, ch="SMS", a=number)
    return someone, number


async def charged(settings: MessagingSettings, message_id: str) -> tuple[Decimal, int]:
    db = Database(settings.database_url)
    try:
        async with db.transaction(SMS_TENANT) as session:
            row = (
                await session.execute(
                    sa.text("SELECT cost, parts FROM messages WHERE id = :id"), {"id": message_id}
                )
            ).one()
    finally:
        await db.dispose()
    return row.cost, row.parts


async def test_an_sms_goes_from_the_sender_name_with_its_cost_and_parts_recorded(
    as_tenant: Any, smsc_api: SmscApi, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call = as_tenant(SMS_TENANT)
    someone, number = await linked(call, customer)
    # 75 Cyrillic characters: over the 70 of one part, so two parts of at most 67.
    text = ("Напоминаем о записи к мастеру завтра в 12:00. " * 2)[:75]
    queued = (await call.data(SEND, c=someone, t=text))["sendMessage"]
    assert (await settled(call, someone, queued["id"]))["status"] == "SENT"
    [sent] = smsc_api.accepted(number)
    assert (sent.sender, sent.text, sent.parts) == ("Salon", text, 2)
    assert await charged(messaging_settings, queued["id"]) == (Decimal("7.0000"), 2)


async def test_delivery_statuses_move_the_message_and_forged_ones_are_refused(
    as_tenant: Any, smsc_api: SmscApi, client: httpx.AsyncClient, customer: Any
) -> None:
    call = as_tenant(SMS_TENANT)
    someone, number = await linked(call, customer)
    queued = (await call.data(SEND, c=someone, t="Your visit is tomorrow"))["sendMessage"]
    await settled(call, someone, queued["id"])
    sms_id = smsc_api.accepted(number)[0].sms_id
    forged = status_call(sms_id, number, 1, "guessed")
    assert (await client.post(HANDLER, content=forged, headers=FORM)).status_code == 403
    assert (await reaches(call, someone, queued["id"], "SENT"))["status"] == "SENT"
    delivered = status_call(sms_id, number, 1, SMS_SECRET)
    answer = await client.post(HANDLER, content=delivered, headers=FORM)
    assert (answer.status_code, answer.text) == (200, "OK")
    await reaches(call, someone, queued["id"], "DELIVERED")


async def test_a_wrong_number_status_fails_the_message_and_unsubscribes(
    as_tenant: Any, smsc_api: SmscApi, client: httpx.AsyncClient, customer: Any
) -> None:
    call = as_tenant(SMS_TENANT)
    someone, number = await linked(call, customer)
    queued = (await call.data(SEND, c=someone, t="Скидка"))["sendMessage"]
    await settled(call, someone, queued["id"])
    wrong = status_call(smsc_api.accepted(number)[0].sms_id, number, 22, SMS_SECRET, err=1)
    assert (await client.post(HANDLER, content=wrong, headers=FORM)).status_code == 200
    message = await reaches(call, someone, queued["id"], "FAILED")
    assert message["failureReason"] == "SMSC status 22: wrong number (error 1)"
    assert (await messengers(call, someone))[0]["status"] == "INACTIVE"


async def test_an_inbound_sms_is_a_reply_and_stop_unsubscribes(
    as_tenant: Any, client: httpx.AsyncClient, customer: Any
) -> None:
    call = as_tenant(SMS_TENANT)
    someone, number = await linked(call, customer)
    said = inbound_sms(501, number, "Перенесите на 15:00", SMS_SECRET)
    for _ in range(2):  # SMSC calls again when unsure the handler got it: taken in once
        assert (await client.post(HANDLER, content=said, headers=FORM)).status_code == 200
    [reply] = await conversation(call, someone)
    assert (reply["direction"], reply["kind"], reply["text"]) == (
        "INBOUND",
        "REPLY",
        "Перенесите на 15:00",
    )
    forged = inbound_sms(502, number, "СТОП", "guessed")
    assert (await client.post(HANDLER, content=forged, headers=FORM)).status_code == 403
    assert (await messengers(call, someone))[0]["status"] == "ACTIVE"
    stop = inbound_sms(503, number, "СТОП", SMS_SECRET)
    assert (await client.post(HANDLER, content=stop, headers=FORM)).status_code == 200
    assert (await messengers(call, someone))[0]["status"] == "INACTIVE"


async def test_gateway_errors_are_mapped(as_tenant: Any, smsc_api: SmscApi, customer: Any) -> None:
    call = as_tenant(SMS_TENANT)
    someone, bad = await linked(call, customer)
    smsc_api.always[bad] = "bad_number"
    failed = (await call.data(SEND, c=someone, t="Привет"))["sendMessage"]
    message = await settled(call, someone, failed["id"])
    assert (message["status"], message["failureReason"]) == (
        "FAILED",
        "SMSC error 7: invalid number",
    )
    assert (await messengers(call, someone))[0]["status"] == "INACTIVE"
    other, broke = await linked(call, customer)
    smsc_api.always[broke] = "no_money"
    unpaid = (await call.data(SEND, c=other, t="Привет"))["sendMessage"]
    message = await settled(call, other, unpaid["id"])
    assert (message["status"], message["failureReason"]) == ("FAILED", "SMSC error 3: no money")
    # The merchant's balance is not the customer's fault: the number stays subscribed.
    assert (await messengers(call, other))[0]["status"] == "ACTIVE"
    assert smsc_api.attempts(broke) == 1


async def test_a_mailing_stays_within_the_accounts_rate(
    as_tenant: Any, smsc_api: SmscApi, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call, segment = as_tenant(SMS_TENANT), str(uuid.uuid4())
    members = [await linked(call, customer) for _ in range(25)]
    joined = [in_segments(SMS_TENANT, someone, 1, segment) for someone, _ in members]
    await processed(messaging_settings, await publish(messaging_settings, joined))
    mailing = {"name": "SMS", "text": "Sale -20% this weekend", "segmentIds": [segment]}
    created = (await call.data(CREATE, input=mailing))["createBroadcast"]
    await finished(call, created["id"])
    assert all(
        [sms.text for sms in smsc_api.accepted(number)] == [mailing["text"]]
        for _, number in members
    )
    assert not smsc_api.window.over_limit
