"""Reading the WhatsApp Cloud API's answers and webhooks: no I/O, the shapes alone."""

import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime, timedelta

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
from clientcard_messaging.channels.whatsapp import WhatsAppProvider, inside_window, result
from clientcard_messaging.settings import WhatsAppNumber

NUMBER = WhatsAppNumber(
    phone_number_id="1001",
    token=SecretStr("EAAG-token"),
    app_secret=SecretStr("app-secret"),
    verify_token=SecretStr("verify"),
    template_name="notice",
)
ITEM = Outgoing(uuid.uuid4(), uuid.uuid4(), "+79150000001", "hi")


def graph_error(code: int, message: str) -> dict[str, object]:
    return {"error": {"message": message, "type": "OAuthException", "code": code}}


@pytest.mark.parametrize(
    ("status", "answer", "outcome", "retry_after"),
    [
        (200, {"messages": [{"id": "wamid.1"}]}, Outcome.SENT, None),
        (400, graph_error(130429, "Rate limit hit"), Outcome.RETRY, 1.0),
        (400, graph_error(80007, "Rate limit issues"), Outcome.RETRY, 1.0),
        (400, graph_error(131056, "Pair rate limit hit"), Outcome.RETRY, None),
        (500, graph_error(131000, "Something went wrong"), Outcome.RETRY, None),
        (400, graph_error(131026, "Message undeliverable"), Outcome.BLOCKED, None),
        (400, graph_error(131050, "User stopped marketing"), Outcome.BLOCKED, None),
        (404, graph_error(132001, "Template does not exist"), Outcome.REJECTED, None),
        (400, graph_error(132000, "Parameter count mismatch"), Outcome.REJECTED, None),
        (401, graph_error(190, "Invalid OAuth access token"), Outcome.REJECTED, None),
        (502, {}, Outcome.RETRY, None),
    ],
)
def test_answers_become_outcomes(
    status: int, answer: dict[str, object], outcome: Outcome, retry_after: float | None
) -> None:
    read = result(ITEM, httpx.Response(status, json=answer), NUMBER)
    assert (read.outcome, read.retry_after) == (outcome, retry_after)
    if outcome is Outcome.SENT:
        assert read.provider_message_id == "wamid.1"


def test_a_template_error_names_the_template() -> None:
    answer = httpx.Response(404, json=graph_error(132001, "Template does not exist"))
    assert result(ITEM, answer, NUMBER).reason == (
        "WhatsApp error 132001: Template does not exist (template 'notice', ru)"
    )


def test_the_window_is_24_hours_since_the_customers_last_message() -> None:
    now = datetime.now(UTC)
    wrote = Outgoing(
        ITEM.message_id, ITEM.customer_id, ITEM.address, "hi", now - timedelta(hours=23)
    )
    assert inside_window(wrote, now)
    long_ago = Outgoing(
        ITEM.message_id, ITEM.customer_id, ITEM.address, "hi", now - timedelta(hours=25)
    )
    assert not inside_window(long_ago, now)
    assert not inside_window(ITEM, now)


def _signed(payload: object, secret: str = "app-secret") -> tuple[dict[str, str], bytes]:
    body = json.dumps(payload).encode()
    made = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"x-hub-signature-256": f"sha256={made}"}, body


def _value(value: dict[str, object], number: str = "1001") -> dict[str, object]:
    metadata = {"phone_number_id": number, "display_phone_number": "7495"}
    change = {"field": "messages", "value": {"metadata": metadata, **value}}
    return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [change]}]}


def test_messages_and_statuses_are_read() -> None:
    said = _value(
        {
            "messages": [
                {"from": "79150000001", "id": "w1", "type": "text", "text": {"body": "Да"}}
            ],
            "statuses": [
                {"id": "wamid.1", "status": "read", "recipient_id": "79150000001"},
                {"id": "wamid.2", "status": "sent", "recipient_id": "79150000001"},
                {
                    "id": "wamid.3",
                    "status": "failed",
                    "errors": [{"code": 131026, "title": "Message undeliverable"}],
                },
            ],
        }
    )
    text, read, failed = WhatsAppProvider(NUMBER).parse_webhook(*_signed(said))
    assert isinstance(text, InboundText)
    assert (text.address, text.text) == ("+79150000001", "Да")
    assert isinstance(read, DeliveryReport)
    assert (read.provider_message_id, read.status) == ("wamid.1", DeliveryStatus.READ)
    assert isinstance(failed, DeliveryReport)
    assert (failed.status, failed.unreachable, failed.reason) == (
        DeliveryStatus.FAILED,
        True,
        "WhatsApp error 131026: Message undeliverable",
    )
    assert failed.outside_window is False


def test_a_failed_status_for_a_closed_window_says_so() -> None:
    closed = {"code": 131047, "title": "Re-engagement message"}
    said = _value({"statuses": [{"id": "wamid.4", "status": "failed", "errors": [closed]}]})
    [failed] = WhatsAppProvider(NUMBER).parse_webhook(*_signed(said))
    assert isinstance(failed, DeliveryReport)
    assert (failed.outside_window, failed.unreachable) == (True, False)


def test_another_numbers_notifications_are_not_this_tenants() -> None:
    said = _value({"messages": [{"from": "7915", "type": "text", "text": {"body": "x"}}]}, "2002")
    assert WhatsAppProvider(NUMBER).parse_webhook(*_signed(said)) == []


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        (_signed(_value({}), "wrong")[0], _signed(_value({}))[1], 403),
        ({}, _signed(_value({}))[1], 403),
        ({"x-hub-signature-256": "sha1=abc"}, b"{}", 403),
        (_signed("[]")[0], _signed("[]")[1], 400),
    ],
)
def test_unsigned_or_unreadable_notifications_are_rejected(
    headers: dict[str, str], body: bytes, status: int
) -> None:
    with pytest.raises(WebhookRejected) as rejected:
        WhatsAppProvider(NUMBER).parse_webhook(headers, body)
    assert rejected.value.status_code == status


def test_the_subscription_check() -> None:
    provider = WhatsAppProvider(NUMBER)
    assert provider.verify("subscribe", "verify", "42") == "42"
    for mode, token in (("subscribe", "guess"), ("unsubscribe", "verify"), (None, None)):
        with pytest.raises(WebhookRejected):
            provider.verify(mode, token, "42")
