"""The WhatsApp provider: Meta's Cloud API `POST /{phone-number-id}/messages` out, its
webhooks (messages and statuses) in.

A business may write free text only within 24 hours of the customer's last message (the
customer service window); outside it, WhatsApp delivers only an approved template. So a
message goes as text inside the window and as the tenant's template, with the text as
its one body parameter, outside it (mailings and automations mostly). The API answers a
sent message with its `wamid` (SENT); the webhook's `statuses` then report it delivered,
read or failed. Errors come as `{"error": {"code": …, "message": …}}`. A text WhatsApp
refuses as outside the window (131047), at once or later in a `failed` status, goes again
as the template.
"""

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from clientcard_contracts.enums import DeliveryStatus
from clientcard_messaging.channels.base import (
    DeliveryReport,
    Inbound,
    InboundText,
    Outcome,
    Outgoing,
    SendResult,
    WebhookRejected,
)
from clientcard_messaging.channels.calls import PacedProvider
from clientcard_messaging.channels.signatures import same_secret, sha256_signed
from clientcard_messaging.settings import WhatsAppNumber

SIGNATURE_HEADER = "x-hub-signature-256"
MAX_BODY = 1024 * 1024
WINDOW = timedelta(hours=24)
# Throughput (130429), the account's rate (80007), too many to one user (131056), spam
# rate limit (131048), and Meta's passing failures (1, 2, 131000, 131016).
PASSING = {1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056}
RATE_LIMITED = {4, 80007, 130429}
RATE_LIMITED_WAIT = 1.0
# Not a WhatsApp user or cannot receive (131026); opted out of marketing (131050).
UNREACHABLE = {131026, 131050}
OUTSIDE_WINDOW = 131047
TEMPLATE_ERRORS = range(132000, 133000)
STATUSES = {
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.READ,
    "failed": DeliveryStatus.FAILED,
}


def inside_window(item: Outgoing, now: datetime) -> bool:
    return item.last_inbound_at is not None and now - item.last_inbound_at < WINDOW


def wa_phone(address: str) -> str:
    """The Cloud API's spelling of a phone: digits, no '+'."""
    return address.lstrip("+")


class WhatsAppProvider(PacedProvider):
    name = "whatsapp"

    def __init__(
        self, number: WhatsAppNumber, *, timeout: float = 10.0, concurrency: int = 8
    ) -> None:
        self._number = number
        super().__init__(
            f"whatsapp:{number.phone_number_id}",
            number.messages_per_second,
            timeout=timeout,
            concurrency=concurrency,
        )

    @property
    def _url(self) -> str:
        number = self._number
        return (
            f"{number.base_url.rstrip('/')}/{number.api_version}/{number.phone_number_id}/messages"
        )

    async def _send_one(self, client: httpx.AsyncClient, item: Outgoing) -> SendResult:
        if item.template_only or not inside_window(item, datetime.now(UTC)):
            return await self._post(client, item, self._template(item))
        sent = await self._post(client, item, self._text(item))
        if sent.code == OUTSIDE_WINDOW:
            # The window had closed after all (WhatsApp's clock decides): the template goes.
            await self._pace.wait()
            return await self._post(client, item, self._template(item))
        return sent

    async def _post(
        self, client: httpx.AsyncClient, item: Outgoing, payload: dict[str, Any]
    ) -> SendResult:
        headers = {"Authorization": f"Bearer {self._number.token.get_secret_value()}"}
        try:
            response = await client.post(self._url, json=payload, headers=headers)
        except httpx.HTTPError as exc:
            return SendResult(item.message_id, Outcome.RETRY, reason=f"WhatsApp unreachable: {exc}")
        return result(item, response, self._number)

    def _text(self, item: Outgoing) -> dict[str, Any]:
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": wa_phone(item.address),
            "type": "text",
            "text": {"preview_url": False, "body": item.text},
        }

    def _template(self, item: Outgoing) -> dict[str, Any]:
        number = self._number
        # Template parameters may hold no line breaks, tabs or runs of spaces.
        flat = " ".join(item.text.split())
        body = {"type": "body", "parameters": [{"type": "text", "text": flat}]}
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": wa_phone(item.address),
            "type": "template",
            "template": {
                "name": number.template_name,
                "language": {"code": number.template_language},
                "components": [body],
            },
        }

    def verify(self, mode: str | None, token: str | None, challenge: str | None) -> str:
        """The answer to Meta's subscription check (GET): the challenge, when it is ours."""
        expected = self._number.verify_token.get_secret_value()
        if mode != "subscribe" or not same_secret(token, expected) or not challenge:
            raise WebhookRejected(403, "wrong verify token or mode")
        return challenge

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[Inbound]:
        if len(body) > MAX_BODY:
            raise WebhookRejected(413, "the notification is too large")
        secret = self._number.app_secret.get_secret_value()
        if not sha256_signed(body, secret, headers.get(SIGNATURE_HEADER)):
            raise WebhookRejected(403, "wrong or missing X-Hub-Signature-256")
        try:
            notification = json.loads(body)
        except ValueError:
            raise WebhookRejected(400, "the notification is not JSON") from None
        if not isinstance(notification, dict) or not isinstance(notification.get("entry"), list):
            raise WebhookRejected(400, "not a WhatsApp Business Account notification")
        return [
            said
            for value in _values(notification["entry"], self._number.phone_number_id)
            for said in _read_value(value)
        ]


_PREFIX = "WhatsApp error "


def result(item: Outgoing, response: httpx.Response, number: WhatsAppNumber) -> SendResult:
    """What a `/messages` answer means for the message."""
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return SendResult(
            item.message_id, Outcome.RETRY, reason=f"WhatsApp HTTP {response.status_code}"
        )
    sent = body.get("messages")
    if (
        response.status_code == 200
        and isinstance(sent, list)
        and sent
        and isinstance(sent[0], dict)
    ):
        return SendResult(item.message_id, Outcome.SENT, provider_message_id=str(sent[0].get("id")))
    found = body.get("error")
    error: dict[str, Any] = found if isinstance(found, dict) else {}
    code = error.get("code")
    reason = f"{_PREFIX}{code}: {error.get('message') or 'no description'}"
    if isinstance(code, int) and code in TEMPLATE_ERRORS:
        reason += f" (template {number.template_name!r}, {number.template_language})"
    said = code if isinstance(code, int) else None
    if code in UNREACHABLE:
        return SendResult(item.message_id, Outcome.BLOCKED, reason=reason, code=said)
    if code in PASSING or code is None or response.status_code >= 500:
        wait = RATE_LIMITED_WAIT if code in RATE_LIMITED else None
        return SendResult(
            item.message_id, Outcome.RETRY, reason=reason, retry_after=wait, code=said
        )
    return SendResult(item.message_id, Outcome.REJECTED, reason=reason, code=said)


def _values(entries: list[Any], phone_number_id: str) -> list[dict[str, Any]]:
    """The `messages` changes addressed to this number (an app may serve several)."""
    found = []
    for entry in entries:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict) or change.get("field") != "messages":
                continue
            metadata = value.get("metadata")
            if isinstance(metadata, dict) and metadata.get("phone_number_id") == phone_number_id:
                found.append(value)
    return found


def _read_value(value: dict[str, Any]) -> list[Inbound]:
    # Stamped on arrival, as the other providers' are (the conversation's order).
    now = datetime.now(UTC)
    said: list[Inbound] = []
    for message in value.get("messages") or []:
        text = _text_of(message) if isinstance(message, dict) else None
        if text and isinstance(message.get("from"), str):
            known_as = message.get("id") if isinstance(message.get("id"), str) else None
            said.append(InboundText(f"+{message['from']}", text, now, known_as))
    for status in value.get("statuses") or []:
        report = _report(status, now) if isinstance(status, dict) else None
        if report is not None:
            said.append(report)
    return said


def _text_of(message: dict[str, Any]) -> str | None:
    """A text, or the label of a template's quick-reply button the customer pressed."""
    kind = message.get("type")
    part = message.get(kind) if isinstance(kind, str) else None
    if not isinstance(part, dict):
        return None
    found = part.get("body") if kind == "text" else part.get("text") if kind == "button" else None
    return found if isinstance(found, str) and found.strip() else None


def _report(status: dict[str, Any], now: datetime) -> DeliveryReport | None:
    moved = STATUSES.get(str(status.get("status")))
    wamid = status.get("id")
    if moved is None or not isinstance(wamid, str):
        return None  # "sent" is what the send itself said
    if moved is not DeliveryStatus.FAILED:
        return DeliveryReport(None, wamid, moved, now)
    errors = status.get("errors")
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    code = first.get("code")
    details = (
        first.get("error_data", {}).get("details")
        if isinstance(first.get("error_data"), dict)
        else None
    )
    reason = f"{_PREFIX}{code}: {details or first.get('title') or first.get('message') or 'failed'}"
    return DeliveryReport(
        None,
        wamid,
        moved,
        now,
        reason=reason,
        unreachable=code in UNREACHABLE,
        outside_window=code == OUTSIDE_WINDOW,
    )
