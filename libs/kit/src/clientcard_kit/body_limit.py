"""No request body larger than the service takes: 413 before any of it is handled.

A GraphQL operation or a POS receipt (at most 1,000 lines) is a few hundred kilobytes at
the very most; ten megabytes is a mistake or an attack, and reading it costs memory and
CPU for nothing. The declared `Content-Length` is checked first; a body sent in chunks
without one is counted as it arrives and cut off at the limit (an HTTPException where the
app reads it, which the app's exception handling answers with 413). A plain ASGI
middleware, like the kit's others.
"""

import json

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self._app = app
        self._max = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self._max:
            await self._refuse(send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self._max:
                    # Raised where the app reads the body: its exception handling answers.
                    raise HTTPException(413, self._detail)
            return message

        await self._app(scope, counted_receive, send)

    @property
    def _detail(self) -> str:
        return f"the request body is larger than the {self._max} bytes accepted"

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": self._detail}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
