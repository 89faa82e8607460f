"""Request ids and HTTP metrics for every request.

A plain ASGI middleware: Starlette's `BaseHTTPMiddleware` runs each request's app in a task
of its own behind memory streams, which cost a subgraph more CPU than some of its queries.
"""

import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clientcard_kit.observability import metrics
from clientcard_kit.observability.logging import request_id

REQUEST_ID_HEADER = "x-request-id"


class RequestObservability:
    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self._app = app
        self._service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        current = Headers(scope=scope).get(REQUEST_ID_HEADER) or uuid.uuid4().hex
        # Counted as a server error unless the app starts a response of its own.
        status = 500

        async def send_with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append(REQUEST_ID_HEADER, current)
            await send(message)

        token = request_id.set(current)
        started = time.perf_counter()
        try:
            await self._app(scope, receive, send_with_request_id)
        finally:
            request_id.reset(token)
            self._observe(scope, status, time.perf_counter() - started)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        # The router records the matched route in the scope; its path template keeps the
        # label set small whatever ids the URLs carry.
        path = getattr(scope.get("route"), "path", "unmatched")
        method = scope["method"]
        metrics.HTTP_LATENCY.labels(self._service, method, path).observe(seconds)
        metrics.HTTP_REQUESTS.labels(self._service, method, path, str(status)).inc()
