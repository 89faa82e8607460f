"""An HTTP client for another service's `/internal` routes, one tenant per call."""

from typing import Any

import httpx
import orjson

from clientcard_kit.auth.internal import InternalTokens
from clientcard_kit.observability import tracing


class ServiceUnavailable(Exception):
    """The other service did not answer in time, or answered that it could not."""


class ServiceClient:
    """Calls one other service; its HTTP connections are kept for the next call.

    `transport` lets tests call a service app in the same process.
    """

    def __init__(
        self,
        base_url: str,
        tokens: InternalTokens,
        *,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._tokens = tokens
        self._http = httpx.AsyncClient(
            base_url=base_url, timeout=timeout, transport=transport, follow_redirects=False
        )

    async def call(self, method: str, tenant: str, path: str, body: Any = None) -> tuple[int, Any]:
        """The status and JSON answer; 5xx and a silent or unreachable service raise."""
        headers = {"authorization": f"Bearer {self._tokens.issue(tenant)}"}
        # The trace goes on to the other service even where the HTTP client's spans are
        # suppressed (a request its caller did not sample); when they are not, the client's
        # instrumentation puts its own span's context here instead.
        traceparent = tracing.current_traceparent()
        if traceparent is not None:
            headers[tracing.TRACEPARENT] = traceparent
        if body is not None:
            headers["content-type"] = "application/json"
        try:
            response = await self._http.request(
                method,
                path,
                content=orjson.dumps(body) if body is not None else None,
                headers=headers,
            )
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(f"{self._http.base_url} did not answer: {exc!r}") from exc
        if response.status_code >= 500:
            raise ServiceUnavailable(f"{self._http.base_url} answered {response.status_code}")
        try:
            answer = response.json() if response.content else None
        except ValueError as exc:
            raise ServiceUnavailable(f"{self._http.base_url} answered no JSON") from exc
        return response.status_code, answer

    async def close(self) -> None:
        await self._http.aclose()
