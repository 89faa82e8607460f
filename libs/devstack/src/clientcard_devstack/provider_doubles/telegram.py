"""A local stand-in for the Telegram Bot API, speaking its request and response shapes.

The real API is out of reach from tests, so this server answers `sendMessage` the way
Telegram does: `{"ok": true, "result": Message}` on success and `{"ok": false,
"error_code": …, "description": …}` on failure, with `parameters.retry_after` on 429.
What a chat gets is scripted by its id: a list of failures to answer first, in order,
after which the chat is answered normally (or always the same way for `always`). Like
Telegram, it answers 429 to a bot's messages beyond its limit a second.
"""

from __future__ import annotations

import contextlib
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

BOT_ID = 7000000001

FAILURES: dict[str, tuple[int, dict[str, Any]]] = {
    "blocked": (403, {"description": "Forbidden: bot was blocked by the user"}),
    "deactivated": (403, {"description": "Forbidden: user is deactivated"}),
    "flood": (
        429,
        {"description": "Too Many Requests: retry after 1", "parameters": {"retry_after": 1}},
    ),
    "chat_not_found": (400, {"description": "Bad Request: chat not found"}),
    "internal": (500, {"description": "Internal Server Error"}),
    "bad_gateway": (502, {"description": "Bad Gateway"}),
}


@dataclass
class BotApi:
    token: str
    url: str = ""
    # chat id → failures still to answer before that chat is served normally
    script: dict[str, list[str]] = field(default_factory=dict)
    always: dict[str, str] = field(default_factory=dict)
    calls: list[tuple[str, str, int]] = field(default_factory=list)  # chat, text, status
    # A bot's messages a second: Telegram answers 429 (retry after 1) beyond about 30.
    window: RateWindow = field(default_factory=lambda: RateWindow(30))
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def delivered(self, chat: str) -> list[str]:
        return [text for to, text, status in self.calls if to == chat and status == 200]

    def attempts(self, chat: str) -> int:
        return sum(1 for to, _, _ in self.calls if to == chat)

    async def send_message(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        try:
            body = json.loads(await request.body())
        except ValueError:
            return _error(400, "Bad Request: invalid JSON")
        chat, text = str(body.get("chat_id", "")), body.get("text")
        if not chat:
            return _error(400, "Bad Request: chat_id is empty")
        if not isinstance(text, str) or not text:
            return _error(400, "Bad Request: message text is empty")
        queued = self.script.get(chat)
        over = not self.window.admit(self.token)
        failure = "flood" if over else self.always.get(chat) or (queued.pop(0) if queued else None)
        if failure:
            status, extra = FAILURES[failure]
            self.calls.append((chat, text, status))
            return JSONResponse({"ok": False, "error_code": status, **extra}, status_code=status)
        self.calls.append((chat, text, 200))
        return JSONResponse({"ok": True, "result": self._message(chat, text)})

    def _message(self, chat: str, text: str) -> dict[str, Any]:
        return {
            "message_id": next(self._ids),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Salon", "username": "salon_bot"},
            "chat": {"id": int(chat), "first_name": "Анна", "type": "private"},
            "date": int(time.time()),
            "text": text,
        }


def _error(status: int, description: str) -> JSONResponse:
    return JSONResponse(
        {"ok": False, "error_code": status, "description": description}, status_code=status
    )


@contextlib.asynccontextmanager
async def serve_bot_api(token: str, per_second: float = 30) -> AsyncIterator[BotApi]:
    api = BotApi(token=token, window=RateWindow(per_second))
    app = Starlette(routes=[Route("/bot{token}/sendMessage", api.send_message, methods=["POST"])])
    async with serve(app) as url:
        api.url = url
        yield api


def update(update_id: int, chat: int, text: str) -> dict[str, Any]:
    """A Telegram webhook update carrying a private message."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": {"id": chat, "is_bot": False, "first_name": "Анна", "language_code": "ru"},
            "chat": {"id": chat, "first_name": "Анна", "type": "private"},
            "date": int(time.time()),
            "text": text,
        },
    }
