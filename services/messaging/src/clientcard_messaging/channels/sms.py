"""The SMS provider: SMSC.ru's HTTP API (`/sys/send.php`, JSON answers with `fmt=3`) out,
its calls to the client's handler (delivery statuses and inbound SMS) in.

SMSC answers a send with the message's `id`, the parts it went in (`cnt`) and, with
`cost=3`, its `cost` and the balance left; or `{"error": …, "error_code": N}`. A sent
SMS is SENT until the handler hears its status: 1 delivered, 2 read, or a failure. The
message's `id` is chosen by the caller (the same on every retry), and SMSC refuses the
same request twice within a minute, so a retried message is not sent twice.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl

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
from clientcard_messaging.channels.calls import PacedProvider, int32_key
from clientcard_messaging.channels.signatures import md5_signed
from clientcard_messaging.domain.sms import measure
from clientcard_messaging.settings import SmscAccount

MAX_BODY = 64 * 1024
# 4: the IP is blocked for a while after many bad requests; 9: the same request again
# within a minute, or too many at once. Both pass.
PASSING = {4, 9}
PASSING_WAIT = 60.0
# 7: not a phone number; 8: this number cannot be sent to.
UNREACHABLE = {7, 8}
# 1 parameters, 2 login or password, 3 no money left, 5 date, 6 forbidden text or sender:
# each fails the message with SMSC's words.
DELIVERED, READ = 1, 2
FAILED_STATUSES = {
    3: "expired",
    20: "undeliverable",
    22: "wrong number",
    23: "forbidden",
    24: "no money left",
    25: "number unavailable",
}
UNREACHABLE_STATUSES = {22, 25}


def provider_id(sms_id: object, phone: str) -> str:
    """How a message is known to SMSC: its id and the number, as the handler names it."""
    return f"{sms_id}:{phone.lstrip('+')}"


class SmsProvider(PacedProvider):
    name = "sms"

    def __init__(
        self, account: SmscAccount, *, timeout: float = 10.0, concurrency: int = 8
    ) -> None:
        self._account = account
        super().__init__(
            f"smsc:{account.login or account.sender}",
            account.messages_per_second,
            timeout=timeout,
            concurrency=concurrency,
        )

    def _form(self, item: Outgoing) -> dict[str, str]:
        account = self._account
        secret = account.password.get_secret_value()
        # An empty login means the password is an API key.
        who = {"login": account.login, "psw": secret} if account.login else {"apikey": secret}
        return {
            **who,
            "phones": item.address,
            "mes": item.text,
            "sender": account.sender,
            "id": str(int32_key(item.message_id)),
            "fmt": "3",
            "cost": "3",
            "charset": "utf-8",
        }

    async def _send_one(self, client: httpx.AsyncClient, item: Outgoing) -> SendResult:
        url = f"{self._account.base_url.rstrip('/')}/sys/send.php"
        try:
            # A form body, not the query string: the password stays out of access logs.
            response = await client.post(url, data=self._form(item))
        except httpx.HTTPError as exc:
            return SendResult(item.message_id, Outcome.RETRY, reason=f"SMSC unreachable: {exc}")
        return result(item, response)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[Inbound]:
        """A call to the handler: a status of a sent SMS, or an SMS a customer sent."""
        if len(body) > MAX_BODY:
            raise WebhookRejected(413, "the call is too large")
        try:
            form = dict(parse_qsl(body.decode(), keep_blank_values=True))
        except UnicodeDecodeError:
            raise WebhookRejected(400, "the call is not a form") from None
        secret = self._account.callback_secret.get_secret_value()
        inbound = "mes" in form
        signed = (
            [form.get("sms_id", ""), form.get("phone", ""), form.get("mes", "")]
            if inbound
            else [form.get("id", ""), form.get("phone", ""), form.get("status", "")]
        )
        if not md5_signed(signed, secret, form.get("md5")):
            raise WebhookRejected(403, "wrong or missing md5 signature")
        if not form.get("phone"):
            raise WebhookRejected(400, "the call names no phone")
        return _inbound(form) if inbound else _status(form)


def result(item: Outgoing, response: httpx.Response) -> SendResult:
    """What a `send.php` answer means for the message."""
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if response.status_code != 200 or not isinstance(body, dict):
        return SendResult(
            item.message_id, Outcome.RETRY, reason=f"SMSC HTTP {response.status_code}"
        )
    code = body.get("error_code")
    if code is None and "id" in body:
        parts = body.get("cnt")
        return SendResult(
            item.message_id,
            Outcome.SENT,
            provider_message_id=provider_id(body["id"], item.address),
            cost=_money(body.get("cost")),
            parts=parts if isinstance(parts, int) else measure(item.text).parts,
        )
    reason = f"SMSC error {code}: {body.get('error') or 'no description'}"
    if code in UNREACHABLE:
        return SendResult(item.message_id, Outcome.BLOCKED, reason=reason, code=code)
    if code in PASSING or not isinstance(code, int):
        wait = PASSING_WAIT if isinstance(code, int) else None
        return SendResult(item.message_id, Outcome.RETRY, reason=reason, retry_after=wait)
    return SendResult(item.message_id, Outcome.REJECTED, reason=reason, code=code)


def _money(raw: object) -> Decimal | None:
    try:
        return Decimal(str(raw)) if raw is not None else None
    except InvalidOperation:
        return None


def _status(form: dict[str, str]) -> list[Inbound]:
    now = datetime.now(UTC)
    try:
        status = int(form.get("status", ""))
    except ValueError:
        raise WebhookRejected(400, "the status is not a number") from None
    known_as = provider_id(form.get("id", ""), form["phone"])
    if status == DELIVERED:
        return [DeliveryReport(None, known_as, DeliveryStatus.DELIVERED, now)]
    if status == READ:
        return [DeliveryReport(None, known_as, DeliveryStatus.READ, now)]
    if status in FAILED_STATUSES:
        reason = f"SMSC status {status}: {FAILED_STATUSES[status]}"
        if form.get("err"):
            reason += f" (error {form['err']})"
        unreachable = status in UNREACHABLE_STATUSES
        return [DeliveryReport(None, known_as, DeliveryStatus.FAILED, now, reason, unreachable)]
    return []  # waiting, passed to the operator: nothing to move yet


def _inbound(form: dict[str, str]) -> list[Inbound]:
    text = form.get("mes", "").strip()
    if not text:
        return []
    known_as = f"{form['sms_id']}:{form['phone']}" if form.get("sms_id") else None
    return [InboundText(f"+{form['phone'].lstrip('+')}", text, datetime.now(UTC), known_as)]
