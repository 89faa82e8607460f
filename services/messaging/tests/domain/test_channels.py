"""Reading the providers' webhooks and answers: no I/O, the shapes alone."""

import json
import uuid

import httpx
import pytest
from pydantic import SecretStr

from clientcard_contracts.enums import Channel, DeliveryStatus
from clientcard_messaging.channels.base import (
    BlockedByCustomer,
    DeliveryReport,
    InboundText,
    Outcome,
    Outgoing,
    WebhookRejected,
)
from clientcard_messaging.channels.sandbox import parse_sandbox
from clientcard_messaging.channels.telegram import TelegramProvider, _result
from clientcard_messaging.settings import TelegramBot

BOT = TelegramBot(token=SecretStr("1:x"), webhook_secret=SecretStr("s"))
HEADERS = {"x-telegram-bot-api-secret-token": "s"}
ITEM = Outgoing(uuid.uuid4(), uuid.uuid4(), "42", "hi")


def body(value: object) -> bytes:
    return json.dumps(value).encode()


def test_a_private_text_and_a_kick_are_read_and_the_rest_ignored() -> None:
    telegram = TelegramProvider(BOT)
    text = {"update_id": 1, "message": {"chat": {"id": 42, "type": "private"}, "text": "9"}}
    [read] = telegram.parse_webhook(HEADERS, body(text))
    assert isinstance(read, InboundText)
    assert (read.address, read.text) == ("42", "9")
    kicked = {
        "update_id": 2,
        "my_chat_member": {"chat": {"id": 42}, "new_chat_member": {"status": "kicked"}},
    }
    [gone] = telegram.parse_webhook(HEADERS, body(kicked))
    assert isinstance(gone, BlockedByCustomer)
    sticker = {"update_id": 3, "message": {"chat": {"id": 42}, "sticker": {}}}
    assert telegram.parse_webhook(HEADERS, body(sticker)) == []


@pytest.mark.parametrize(
    ("headers", "raw", "status"),
    [
        ({}, body({"update_id": 1}), 401),
        ({"x-telegram-bot-api-secret-token": "S"}, body({"update_id": 1}), 401),
        (HEADERS, b"{", 400),
        (HEADERS, body({"update": 1}), 400),
        (HEADERS, b" " * (300 * 1024), 413),
    ],
)
def test_untrusted_or_unreadable_webhooks_are_rejected(
    headers: dict[str, str], raw: bytes, status: int
) -> None:
    with pytest.raises(WebhookRejected) as rejected:
        TelegramProvider(BOT).parse_webhook(headers, raw)
    assert rejected.value.status_code == status


@pytest.mark.parametrize(
    ("status", "answer", "outcome", "retry_after"),
    [
        (200, {"ok": True, "result": {"message_id": 5}}, Outcome.DELIVERED, None),
        (
            403,
            {"ok": False, "description": "Forbidden: bot was blocked by the user"},
            Outcome.BLOCKED,
            None,
        ),
        (429, {"ok": False, "parameters": {"retry_after": 3}}, Outcome.RETRY, 3.0),
        (400, {"ok": False, "description": "Bad Request: chat not found"}, Outcome.REJECTED, None),
        (502, {}, Outcome.RETRY, None),
    ],
)
def test_bot_api_answers_become_outcomes(
    status: int, answer: dict[str, object], outcome: Outcome, retry_after: float | None
) -> None:
    result = _result(ITEM, httpx.Response(status, json=answer))
    assert (result.outcome, result.retry_after) == (outcome, retry_after)


def test_sandbox_posts_are_texts_reports_or_blocks() -> None:
    channel, [text] = parse_sandbox(body({"channel": "SMS", "address": "+7912", "text": "9"}))
    assert channel is Channel.SMS
    assert isinstance(text, InboundText)
    sent = uuid.uuid4()
    read = {"channel": "SMS", "messageId": str(sent), "status": "READ"}
    _, [report] = parse_sandbox(body(read))
    assert report == DeliveryReport(sent, None, DeliveryStatus.READ, report.at)  # type: ignore[union-attr]
    _, [blocked] = parse_sandbox(body({"channel": "VK", "address": "7", "blocked": True}))
    assert isinstance(blocked, BlockedByCustomer)
    for bad in (
        {"channel": "SMS"},
        {"channel": "FAX", "address": "1", "text": "x"},
        {"channel": "SMS", "messageId": "m1", "status": "READ"},
        [1],
    ):
        with pytest.raises(WebhookRejected):
            parse_sandbox(body(bad))
