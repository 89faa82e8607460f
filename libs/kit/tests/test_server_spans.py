"""A request's server span: recorded when its trace is sampled, skipped when the caller
chose not to sample it, whose trace it still carries on."""

from typing import Any

import httpx
from fastapi import FastAPI
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from clientcard_kit.observability import tracing
from clientcard_kit.observability.server_spans import SampledOnly

TRACE = "ab" * 16
CALLER_SPAN = "cd" * 8


def app_telling_its_traceparent(seen: list[str | None]) -> FastAPI:
    app = FastAPI()

    @app.get("/card")
    async def card() -> dict[str, str]:
        # What an outbox row written here would keep.
        seen.append(tracing.current_traceparent())
        return {}

    tracing.instrument_app(app)
    return app


def servers(spans: InMemorySpanExporter) -> list[ReadableSpan]:
    # FastAPI adds spans of its own inside (dependencies, endpoint, serialisation).
    return [span for span in spans.get_finished_spans() if span.kind is SpanKind.SERVER]


async def test_a_request_its_caller_did_not_sample_records_nothing_and_keeps_the_trace(
    spans: InMemorySpanExporter,
) -> None:
    seen: list[str | None] = []
    transport = httpx.ASGITransport(app_telling_its_traceparent(seen))
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        unsampled = f"00-{TRACE}-{CALLER_SPAN}-00"
        assert (await client.get("/card", headers={"traceparent": unsampled})).status_code == 200
        assert spans.get_finished_spans() == ()
        assert seen == [unsampled]

        sampled = f"00-{TRACE}-{CALLER_SPAN}-01"
        assert (await client.get("/card", headers={"traceparent": sampled})).status_code == 200
    [server] = servers(spans)
    assert server.kind is SpanKind.SERVER
    assert server.parent is not None
    assert (server.context.trace_id, server.parent.span_id) == (
        int(TRACE, 16),
        int(CALLER_SPAN, 16),
    )
    # Written inside the request: its trace, sampled, one of the request's own spans.
    version, trace_id, span_id, flags = str(seen[1]).split("-")
    assert (version, trace_id, flags) == ("00", TRACE, "01")
    assert int(span_id, 16) in {span.context.span_id for span in spans.get_finished_spans()}


async def test_a_request_without_a_trace_or_with_a_broken_one_is_left_to_the_sampler(
    spans: InMemorySpanExporter,
) -> None:
    seen: list[str | None] = []
    transport = httpx.ASGITransport(app_telling_its_traceparent(seen))
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        await client.get("/card")
        await client.get("/card", headers={"traceparent": "00-not-a-trace-00"})
    # The tests' sampler records every new trace: two server spans, each a trace of its own.
    found = servers(spans)
    assert len(found) == 2
    assert found[0].parent is None
    assert found[1].parent is None
    assert found[0].context.trace_id != found[1].context.trace_id


async def test_only_requests_that_may_be_recorded_pass_through_the_instrumentation() -> None:
    went: list[tuple[str, str | None]] = []

    def app(name: str) -> Any:
        async def answer(scope: dict[str, Any], receive: Any, send: Any) -> None:
            went.append((name, tracing_context_traceparent()))

        return answer

    routed = SampledOnly(traced=app("traced"), plain=app("plain"))
    for header in (
        f"00-{TRACE}-{CALLER_SPAN}-00",  # not sampled by the caller
        f"00-{TRACE}-{CALLER_SPAN}-01",  # sampled
        f"00-{TRACE}-{CALLER_SPAN}-03",  # sampled, with another flag beside
        f"00-{TRACE}-{CALLER_SPAN}-zz",  # broken flags
        f"00-{'0' * 32}-{CALLER_SPAN}-00",  # an invalid trace id
    ):
        scope = {"type": "http", "headers": [(b"traceparent", header.encode())]}
        await routed(scope, unused, unused)
    await routed({"type": "http", "headers": []}, unused, unused)
    assert [name for name, _ in went] == ["plain", "traced", "traced", "traced", "traced", "traced"]
    # The plain path runs in the caller's context, which is gone again afterwards.
    assert went[0][1] == f"00-{TRACE}-{CALLER_SPAN}-00"
    assert tracing_context_traceparent() is None


async def unused(*message: Any) -> None:
    raise AssertionError("the apps here answer nothing")


def tracing_context_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    TraceContextTextMapPropagator().inject(carrier)
    return carrier.get("traceparent")
