"""A local stand-in for the VK API's `messages.send`, speaking its request and response
shapes.

VK takes the method's parameters as a form (or query string) with `access_token` and `v`,
and answers HTTP 200 whatever happens: `{"response": <message id>}` on success, `{"error":
{"error_code": …, "error_msg": …, "request_params": […]}}` on failure. Like VK, it answers
error 6 to a token's calls beyond its requests a second, and sends a message once per
`random_id` of a dialog. What a user gets is scripted by their peer id: failures to answer
first, in order, or always the same one.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from clientcard_devstack.provider_doubles.serving import RateWindow, serve

ERRORS: dict[str, tuple[int, str]] = {
    "bad_token": (5, "User authorization failed: invalid access_token (4)."),
    "too_many": (6, "Too many requests per second"),
    "flood": (9, "Flood control"),
    "internal": (10, "Internal server error"),
    "blacklisted": (900, "Can't send messages for users from blacklist"),
    "no_permission": (901, "Can't send messages for users without permission"),
}


@dataclass
class VkApi:
    tokens: set[str]
    url: str = ""
    script: dict[str, list[str]] = field(default_factory=dict)
    always: dict[str, str] = field(default_factory=dict)
    calls: list[tuple[str, str, int]] = field(default_factory=list)  # peer, text, error (0: ok)
    # Each token's requests a second (the calls beyond the limit get error 6).
    window: RateWindow = field(default_factory=lambda: RateWindow(20))
    _sent: dict[tuple[str, int], int] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))

    def delivered(self, peer: str) -> list[str]:
        return [text for to, text, error in self.calls if to == peer and error == 0]

    def attempts(self, peer: str) -> int:
        return sum(1 for to, _, _ in self.calls if to == peer)

    async def messages_send(self, request: Request) -> JSONResponse:
        params = {**request.query_params, **(await request.form())}
        token, peer = str(params.get("access_token", "")), str(params.get("peer_id", ""))
        text, random_id = str(params.get("message", "")), str(params.get("random_id", ""))
        if "v" not in params:
            return _error(8, "Invalid request: v (version) is required", params)
        if not self.window.admit(token):
            return self._failed(peer, text, "too_many", params)
        if token not in self.tokens:
            return self._failed(peer, text, "bad_token", params)
        if not peer.isdigit() or not text or not random_id.lstrip("-").isdigit():
            return _error(100, "One of the parameters specified was missing or invalid", params)
        queued = self.script.get(peer)
        failure = self.always.get(peer) or (queued.pop(0) if queued else None)
        if failure:
            return self._failed(peer, text, failure, params)
        key = (peer, int(random_id))
        if key not in self._sent:  # a repeated random_id is the same message, sent once
            self._sent[key] = next(self._ids)
            self.calls.append((peer, text, 0))
        return JSONResponse({"response": self._sent[key]})

    def _failed(self, peer: str, text: str, failure: str, params: Any) -> JSONResponse:
        code, message = ERRORS[failure]
        self.calls.append((peer, text, code))
        return _error(code, message, params)


def _error(code: int, message: str, params: Any) -> JSONResponse:
    shown = [
        {"key": key, "value": str(value)} for key, value in params.items() if key != "access_token"
    ]
    return JSONResponse(
        {"error": {"error_code": code, "error_msg": message, "request_params": shown}}
    )


@contextlib.asynccontextmanager
async def serve_vk_api(*tokens: str, per_second: float = 20) -> AsyncIterator[VkApi]:
    api = VkApi(tokens=set(tokens), window=RateWindow(per_second))
    app = Starlette(routes=[Route("/method/messages.send", api.messages_send, methods=["POST"])])
    async with serve(app) as url:
        api.url = url
        yield api


def callback(kind: str, group_id: int, secret: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A Callback API event as VK posts it to the community's server (API 5.199)."""
    return {
        "group_id": group_id,
        "type": kind,
        "event_id": f"{time.time_ns():x}",
        "v": "5.199",
        "object": payload,
        "secret": secret,
    }


def message_new(group_id: int, secret: str, user: int, text: str) -> dict[str, Any]:
    message = {
        "date": int(time.time()),
        "from_id": user,
        "id": 0,
        "out": 0,
        "peer_id": user,
        "text": text,
        "conversation_message_id": 1,
        "fwd_messages": [],
        "important": False,
        "random_id": 0,
        "attachments": [],
        "is_hidden": False,
    }
    info = {
        "button_actions": ["text", "open_link"],
        "keyboard": True,
        "inline_keyboard": True,
        "carousel": True,
        "lang_id": 0,
    }
    return callback("message_new", group_id, secret, {"message": message, "client_info": info})
