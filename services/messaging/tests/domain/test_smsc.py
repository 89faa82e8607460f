"""Reading SMSC's answers and its calls to the handler: no I/O, the shapes alone."""

import hashlib
import uuid
from decimal import Decimal
from urllib.parse import urlencode

import httpx
import pytest
from pydantic import SecretStr

from clientcard_contracts.enums import DeliveryStatus
from clientcard_messaging.channels.base import (
    DeliveryReport,
    InboundText,
    Outcome,
    Outgoing,
    WebhookRejected,
)
from clientcard_messaging.channels.sms import SmsProvider, result
from clientcard_messaging.settings import SmscAccount

ACCOUNT = SmscAccount(
    login="salon", password=SecretStr("pw"), sender="Salon", callback_secret=SecretStr("s")
)
ITEM = Outgoing(uuid.uuid4(), uuid.uuid4(), "+79260000001", "Привет")


@pytest.mark.parametrize(
    ("answer", "outcome", "retry_after"),
    [
        ({"id": 7, "cnt": 2, "cost": "7.00", "balance": "93.00"}, Outcome.SENT, None),
        ({"error": "duplicate request, wait a minute", "error_code": 9}, Outcome.RETRY, 60.0),
        ({"error": "IP is blocked", "error_code": 4}, Outcome.RETRY, 60.0),
        ({"error": "invalid number", "error_code": 7, "id": 7}, Outcome.BLOCKED, None),
        ({"error": "can't deliver", "error_code": 8, "id": 7}, Outcome.BLOCKED, None),
        ({"error": "no money", "error_code": 3, "id": 7}, Outcome.REJECTED, None),
        ({"error": "authorise error", "error_code": 2}, Outcome.REJECTED, None),
        ({"error": "message is denied", "error_code": 6, "id": 7}, Outcome.REJECTED, None),
    ],
)
def test_answers_become_outcomes(
    answer: dict[str, object], outcome: Outcome, retry_after: float | None
) -> None:
    read = result(ITEM, httpx.Response(200, json=answer))
    assert (read.outcome, read.retry_after) == (outcome, retry_after)
    if outcome is Outcome.SENT:
        assert (read.provider_message_id, read.cost, read.parts) == (
            "7:79260000001",
            Decimal("7.00"),
            2,
        )


def _form(fields: dict[str, object], signed: list[str], secret: str = "s") -> bytes:
    md5 = hashlib.md5(":".join([*signed, secret]).encode()).hexdigest()
    return urlencode({**fields, "md5": md5}).encode()


@pytest.mark.parametrize(
    ("status", "moved", "unreachable"),
    [
        (1, DeliveryStatus.DELIVERED, False),
        (2, DeliveryStatus.READ, False),
        (20, DeliveryStatus.FAILED, False),
        (22, DeliveryStatus.FAILED, True),
        (25, DeliveryStatus.FAILED, True),
    ],
)
def test_statuses_are_read(status: int, moved: DeliveryStatus, unreachable: bool) -> None:
    body = _form(
        {"id": 7, "phone": "79260000001", "status": status}, ["7", "79260000001", str(status)]
    )
    [report] = SmsProvider(ACCOUNT).parse_webhook({}, body)
    assert isinstance(report, DeliveryReport)
    assert (report.provider_message_id, report.status, report.unreachable) == (
        "7:79260000001",
        moved,
        unreachable,
    )


def test_waiting_statuses_move_nothing_and_inbound_sms_is_text() -> None:
    waiting = _form({"id": 7, "phone": "79260000001", "status": 0}, ["7", "79260000001", "0"])
    assert SmsProvider(ACCOUNT).parse_webhook({}, waiting) == []
    said = _form(
        {"sms_id": 9, "phone": "79260000001", "mes": "СТОП", "to": "7999"},
        ["9", "79260000001", "СТОП"],
    )
    [text] = SmsProvider(ACCOUNT).parse_webhook({}, said)
    assert isinstance(text, InboundText)
    assert (text.address, text.text) == ("+79260000001", "СТОП")


def test_unsigned_calls_are_rejected() -> None:
    forged = _form({"id": 7, "phone": "7926", "status": 1}, ["7", "7926", "1"], "guess")
    with pytest.raises(WebhookRejected) as rejected:
        SmsProvider(ACCOUNT).parse_webhook({}, forged)
    assert rejected.value.status_code == 403
