"""A local stand-in for Meta's WhatsApp Cloud API `POST /{version}/{phone-number-id}/messages`,
speaking its request and response shapes, and builders of the webhook notifications Meta
posts (messages and statuses), signed as Meta signs them.

It takes `Authorization: Bearer <token>` and a JSON body with `messaging_product`
"whatsapp", `to` and either `type` "text" (`text.body`) or "template" (`template.name`,
`template.language.code`), and answers `{"messaging_product": "whatsapp", "contacts":
[…], "messages": [{"id": "wamid.…"}]}`, or `{"error": {"message", "type", "code",
"error_data", "fbtrace_id"}}` with HTTP 400 (401 for a bad token). A number's requests
beyond its messages a second get 130429 ("Rate limit hit"); a template not among the
approved ones gets 132001. What a recipient gets is scripted by their phone: failures to
answer first, in order, or always the same one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from clientcard_devstack.provider_doubles.serving import RateWindow, serve

ERRORS: dict[str, tuple[int, int, str]] = {
    # name: (HTTP status, code, message)
    "bad_token": (401, 190, "Error validating access token: Session has expired."),
    "rate_limit": (400, 130429, "Rate limit hit"),
    "account_rate": (400, 80007, "Rate limit issues"),
    "outside_window": (400, 131047, "Re-engagement message"),
    "undeliverable": (400, 131026, "Message undeliverable"),
    "stopped_marketing": (400, 131050, "User has stopped marketing messages"),
    "no_template": (404, 132001, "Template name does not exist in the translation"),
    "template_params": (400, 132000, "Number of parameters does not match"),
}


@dataclass(frozen=True)
class Sent:
    to: str
    kind: str  # "text" or "template"
    text: str  # the body, or the template's parameter
    template: str | None
    error: int  # 0: accepted
    wamid: str = ""


@dataclass
class CloudApi:
    tokens: set[str]
    templates: set[tuple[str, str]]  # approved (name, language)
    url: str = ""
    script: dict[str, list[str]] = field(default_factory=dict)
    always: dict[str, str] = field(default_factory=dict)
    calls: list[Sent] = field(default_factory=list)
    window: RateWindow = field(default_factory=lambda: RateWindow(80))
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def accepted(self, phone: str) -> list[Sent]:
        return [sent for sent in self.calls if sent.to == phone.lstrip("+") and not sent.error]

    def attempts(self, phone: str) -> int:
        return sum(1 for sent in self.calls if sent.to == phone.lstrip("+"))

    async def messages(self, request: Request) -> JSONResponse:
        number = request.path_params["number"]
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        try:
            body = json.loads(await request.body())
        except ValueError:
            return _error(400, 100, "Invalid parameter")
        sent = _read(body)
        if sent is None:
            return _error(400, 100, "Invalid parameter")
        if not self.window.admit(number):
            return self._failed(sent, "rate_limit")
        if token not in self.tokens:
            return self._failed(sent, "bad_token")
        language = body.get("template", {}).get("language", {}).get("code")
        if sent.kind == "template" and (sent.template, language) not in self.templates:
            return self._failed(sent, "no_template")
        queued = self.script.get(sent.to)
        failure = self.always.get(sent.to) or (queued.pop(0) if queued else None)
        if failure:
            return self._failed(sent, failure)
        wamid = f"wamid.HBgL{next(self._ids):012d}"
        self.calls.append(dataclasses.replace(sent, wamid=wamid))
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": sent.to, "wa_id": sent.to}],
                "messages": [{"id": wamid}],
            }
        )

    def wamid_of(self, phone: str) -> str:
        """The id of the last message to the phone the API accepted."""
        return self.accepted(phone)[-1].wamid

    def _failed(self, sent: Sent, failure: str) -> JSONResponse:
        status, code, message = ERRORS[failure]
        self.calls.append(dataclasses.replace(sent, error=code))
        return _error(status, code, message)


def _read(body: Any) -> Sent | None:
    if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
        return None
    to, kind = body.get("to"), body.get("type")
    if not isinstance(to, str) or not to.isdigit():
        return None
    if kind == "text" and isinstance(body.get("text"), dict):
        return Sent(to, "text", str(body["text"].get("body", "")), None, 0)
    template = body.get("template")
    if kind == "template" and isinstance(template, dict):
        components = template.get("components") or []
        parameters = [p.get("text", "") for c in components for p in c.get("parameters", [])]
        return Sent(to, "template", " ".join(parameters), str(template.get("name")), 0)
    return None


def _error(status: int, code: int, message: str) -> JSONResponse:
    error = {
        "message": f"({code}) {message}",
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": message},
        "fbtrace_id": "A1b2C3d4E5",
    }
    return JSONResponse({"error": error}, status_code=status)


@contextlib.asynccontextmanager
async def serve_cloud_api(
    tokens: set[str], templates: set[tuple[str, str]], per_second: float = 80
) -> AsyncIterator[CloudApi]:
    api = CloudApi(tokens=tokens, templates=templates, window=RateWindow(per_second))
    route = Route("/{version}/{number}/messages", api.messages, methods=["POST"])
    async with serve(Starlette(routes=[route])) as url:
        api.url = url
        yield api


def signed(notification: dict[str, Any], app_secret: str) -> tuple[bytes, dict[str, str]]:
    """The notification's body and headers as Meta posts it, signed with the app secret."""
    body = json.dumps(notification).encode()
    signature = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    headers = {"content-type": "application/json", "x-hub-signature-256": f"sha256={signature}"}
    return body, headers


def notification(phone_number_id: str, value: dict[str, Any]) -> dict[str, Any]:
    metadata = {"display_phone_number": "74950000000", "phone_number_id": phone_number_id}
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "value": {"messaging_product": "whatsapp", "metadata": metadata, **value},
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def text_message(phone_number_id: str, sender: str, text: str) -> dict[str, Any]:
    wa_id = sender.lstrip("+")
    message = {
        "from": wa_id,
        "id": f"wamid.in{time.time_ns()}",
        "timestamp": str(int(time.time())),
        "type": "text",
        "text": {"body": text},
    }
    contact = {"profile": {"name": "Анна"}, "wa_id": wa_id}
    return notification(phone_number_id, {"contacts": [contact], "messages": [message]})


def status_update(
    phone_number_id: str, wamid: str, status: str, recipient: str, error: int | None = None
) -> dict[str, Any]:
    update: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": str(int(time.time())),
        "recipient_id": recipient.lstrip("+"),
    }
    if error is not None:
        title = next((m for _, c, m in ERRORS.values() if c == error), "Failure")
        update["errors"] = [
            {"code": error, "title": title, "message": title, "error_data": {"details": title}}
        ]
    return notification(phone_number_id, {"statuses": [update]})
