"""Server spans only for requests whose trace is sampled.

With 1 % of traces sampled, 99 requests in 100 arrive with a `traceparent` whose caller
(the gateway) decided not to record them. OpenTelemetry's ASGI middleware still does its
whole work for those: request attributes, a non-recording span, metrics, the response's
wrapped `send` (a quarter of a millisecond of CPU a request, `benchmarks/tracing_overhead.py`),
and the SQL and HTTP client instrumentations wrap every statement and call in spans
nobody records. Such a request goes straight to the application here, with the caller's
context attached and instrumentation suppressed: events it publishes still carry the
caller's `traceparent` (so their consumers follow the same decision), and so do calls to
other services (`internal.client` sends it itself). A request without a `traceparent`, or a
sampled one, goes through the middleware, whose sampler decides.
"""

from collections.abc import Callable
from typing import Any

from opentelemetry import context
from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from clientcard_kit.observability.tracing import TRACEPARENT

_propagator = TraceContextTextMapPropagator()
_HEADER = TRACEPARENT.encode()
_SAMPLED = 0x01

Asgi = Callable[..., Any]


class SampledOnly:
    """ASGI app: `traced` for requests that may be recorded, `plain` for those that are not."""

    def __init__(self, traced: Asgi, plain: Asgi) -> None:
        self._traced = traced
        self._plain = plain

    async def __call__(self, scope: dict[str, Any], receive: Asgi, send: Asgi) -> None:
        parent = unsampled_parent(scope) if scope["type"] == "http" else None
        if parent is None:
            await self._traced(scope, receive, send)
            return
        token = context.attach(parent)
        try:
            with suppress_instrumentation():
                await self._plain(scope, receive, send)
        finally:
            context.detach(token)


def unsampled_parent(scope: dict[str, Any]) -> context.Context | None:
    """The caller's context when its valid `traceparent` says not sampled; else None."""
    for name, value in scope.get("headers", ()):
        if name == _HEADER:
            text = value.decode("latin-1").strip()
            flags = text.rpartition("-")[2]
            if len(flags) != 2 or not _is_hex(flags) or int(flags, 16) & _SAMPLED:
                return None
            extracted = _propagator.extract({TRACEPARENT: text})
            # An invalid header extracts to an empty context: let the middleware start anew.
            return extracted if extracted else None
    return None


def _is_hex(text: str) -> bool:
    return all(char in "0123456789abcdefABCDEF" for char in text)
