"""A local stand-in for SMSC.ru's HTTP API `/sys/send.php` (with `fmt=3`: JSON answers),
and builders of the calls SMSC makes to a client's handler (delivery statuses, inbound
SMS), signed as SMSC signs them.

It takes the form fields `login` and `psw` (or `apikey`), `phones`, `mes`, `sender`, `id`
and `cost=3`, and answers `{"id": …, "cnt": <parts>, "cost": "…", "balance": "…"}`, or
`{"error": "…", "error_code": N}` (with the message's `id` for errors 3, 6, 7 and 8). An
account's requests beyond its rate, and the same message (`id` and number) sent again,
get error 9; a balance too low for the message gets 3. What a number gets is scripted by
the number: failures to answer first, in order, or always the same one.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from clientcard_devstack.provider_doubles.serving import RateWindow, serve

ERRORS: dict[str, tuple[int, str]] = {
    "params": (1, "parameters error"),
    "auth": (2, "authorise error"),
    "no_money": (3, "no money"),
    "blocked_ip": (4, "IP is blocked"),
    "forbidden": (6, "message is denied"),
    "bad_number": (7, "invalid number"),
    "undeliverable": (8, "can't deliver"),
    "duplicate": (9, "duplicate request, wait a minute"),
}
PRICE_PER_PART = Decimal("3.50")


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str
    sender: str
    sms_id: int
    error: int  # 0: accepted
    parts: int = 0


def parts_of(text: str) -> int:
    """How many parts SMSC bills: 160/153 characters in Latin, 70/67 otherwise."""
    single, each = (160, 153) if text.isascii() else (70, 67)
    return 1 if len(text) <= single else math.ceil(len(text) / each)


@dataclass
class SmscApi:
    logins: dict[str, str]  # login → password
    url: str = ""
    balance: Decimal = Decimal("100000.00")
    script: dict[str, list[str]] = field(default_factory=dict)
    always: dict[str, str] = field(default_factory=dict)
    calls: list[Sms] = field(default_factory=list)
    window: RateWindow = field(default_factory=lambda: RateWindow(20))
    _sent: set[tuple[int, str]] = field(default_factory=set)

    def accepted(self, phone: str) -> list[Sms]:
        return [sms for sms in self.calls if sms.phone == phone and not sms.error]

    def attempts(self, phone: str) -> int:
        return sum(1 for sms in self.calls if sms.phone == phone)

    async def send(self, request: Request) -> JSONResponse:
        form = {**request.query_params, **(await request.form())}
        login, password = str(form.get("login", "")), str(form.get("psw", ""))
        phone, text = str(form.get("phones", "")), str(form.get("mes", ""))
        raw_id = str(form.get("id", "0"))
        if not phone or not text or not raw_id.isdigit():
            return _error("params")
        sms = Sms(phone, text, str(form.get("sender", "")), int(raw_id), 0, parts_of(text))
        if not self.window.admit(login):
            return self._failed(sms, "duplicate")
        if self.logins.get(login) != password:
            return self._failed(sms, "auth")
        queued = self.script.get(phone)
        failure = self.always.get(phone) or (queued.pop(0) if queued else None)
        if failure:
            return self._failed(sms, failure)
        if (sms.sms_id, phone) in self._sent:
            return self._failed(sms, "duplicate")
        cost = PRICE_PER_PART * sms.parts
        if cost > self.balance:
            return self._failed(sms, "no_money")
        self.balance -= cost
        self._sent.add((sms.sms_id, phone))
        self.calls.append(sms)
        answer = {
            "id": sms.sms_id,
            "cnt": sms.parts,
            "cost": str(cost),
            "balance": str(self.balance),
        }
        return JSONResponse(answer)

    def _failed(self, sms: Sms, failure: str) -> JSONResponse:
        code, _ = ERRORS[failure]
        self.calls.append(Sms(sms.phone, sms.text, sms.sender, sms.sms_id, code))
        return _error(failure, sms.sms_id)


def _error(failure: str, sms_id: int | None = None) -> JSONResponse:
    code, message = ERRORS[failure]
    body: dict[str, object] = {"error": message, "error_code": code}
    if sms_id is not None and code in (3, 6, 7, 8):
        body["id"] = sms_id
    return JSONResponse(body)


@contextlib.asynccontextmanager
async def serve_smsc_api(logins: dict[str, str], per_second: float = 20) -> AsyncIterator[SmscApi]:
    api = SmscApi(logins=logins, window=RateWindow(per_second))
    route = Route("/sys/send.php", api.send, methods=["GET", "POST"])
    async with serve(Starlette(routes=[route])) as url:
        api.url = url
        yield api


def _md5(*parts: str) -> str:
    return hashlib.md5(":".join(parts).encode(), usedforsecurity=False).hexdigest()


def status_call(sms_id: int, phone: str, status: int, secret: str, err: int = 0) -> bytes:
    """SMSC's call to the handler with a message's status (1 delivered, 2 read, 20
    undeliverable, 22 wrong number, …), as a form."""
    digits = phone.lstrip("+")
    return urlencode(
        {
            "id": sms_id,
            "phone": digits,
            "status": status,
            "time": 1764700000,
            "ts": 1764700000,
            "err": err,
            "cnt": 1,
            "md5": _md5(str(sms_id), digits, str(status), secret),
        }
    ).encode()


def inbound_sms(sms_id: int, phone: str, text: str, secret: str, to: str = "79990000000") -> bytes:
    """SMSC's call to the handler with an SMS a customer sent to the account's number."""
    digits = phone.lstrip("+")
    return urlencode(
        {
            "sms_id": sms_id,
            "phone": digits,
            "mes": text,
            "to": to,
            "sent": 1764700000,
            "time": 1764700000,
            "md5": _md5(str(sms_id), digits, text, secret),
        }
    ).encode()
