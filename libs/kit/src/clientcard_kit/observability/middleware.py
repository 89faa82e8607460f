"""Request ids and HTTP metrics for every request."""

import time
import uuid

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from clientcard_kit.observability import metrics
from clientcard_kit.observability.logging import request_id

REQUEST_ID_HEADER = "x-request-id"


class RequestObservability(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, *, service: str) -> None:
        super().__init__(app)
        self._service = service

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        current = request.headers.get(REQUEST_ID_HEADER) or uuid.uuid4().hex
        token = request_id.set(current)
        started = time.perf_counter()
        try:
            response = await call_next(request)
        finally:
            request_id.reset(token)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        metrics.HTTP_LATENCY.labels(self._service, request.method, path).observe(
            time.perf_counter() - started
        )
        metrics.HTTP_REQUESTS.labels(
            self._service, request.method, path, str(response.status_code)
        ).inc()
        response.headers[REQUEST_ID_HEADER] = current
        return response
