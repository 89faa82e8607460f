"""OpenTelemetry traces of requests, SQL, DataLoader batches and events across Kafka.

Off unless the standard variables ask for it: `OTEL_EXPORTER_OTLP_ENDPOINT` (or
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), or `OTEL_TRACES_EXPORTER=otlp`; `OTEL_SDK_DISABLED=true`
or `OTEL_TRACES_EXPORTER=none` keep it off. The SDK reads the rest itself: the sampler
(`OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`; the default follows the caller's
decision and samples every new trace), the batch processor's pace (`OTEL_BSP_*`), headers
and timeouts of the exporter. When off, no instrumentation is installed and every helper
here returns at its first line, so tracing costs nothing it is not asked for.

An event carries the trace of the change that published it: the outbox keeps the
`traceparent` of the transaction that wrote the row, and the relay sends it as the
CloudEvents distributed-tracing extension (`ce_traceparent`). A consumer handles a
message in a span whose parent is that context, so a receipt is one trace from the till's
request through every service it reaches; a batch is one span linked to each message.
"""

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Link, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

TRACEPARENT = "traceparent"

# FastAPI's own OpenTelemetry (spans, metrics and logs of its own): off, for the server
# spans are this module's (`instrument_app`), and FastAPI's would run, and cost, for every
# request a caller chose not to sample too. `FastAPI(telemetry=FASTAPI_TELEMETRY)`.
FASTAPI_TELEMETRY: dict[str, Any] = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
}

_propagator = TraceContextTextMapPropagator()
_tracer = trace.get_tracer("clientcard_kit")
_state = {"enabled": False}


def asked_for(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the OTEL_* variables ask for traces to be exported."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporter = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter:
        return exporter != "none"
    return bool(
        environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def enabled() -> bool:
    return _state["enabled"]


def configure(service: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Install the SDK with an OTLP exporter when the environment asks; once a process."""
    if _state["enabled"]:
        return True
    if not asked_for(environ):
        return False
    # Imported only when traces are on: the SDK and exporter are not loaded otherwise.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    # OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES may name it otherwise.
    named = {} if environ.get("OTEL_SERVICE_NAME") else {"service.name": service}
    provider = TracerProvider(resource=Resource.create(named))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    use_provider(provider)
    return True


def use_provider(provider: Any) -> None:
    """Trace into this provider (`configure` does it; tests hand in one of their own).

    OpenTelemetry takes one global provider a process: a second one is ignored.
    """
    trace.set_tracer_provider(provider)
    _state["enabled"] = True


def resume() -> None:
    """Trace again after `stop`, into the provider already installed."""
    _state["enabled"] = True


def stop() -> None:
    """No new spans and no trace context on new events; what was traced is still exported."""
    _state["enabled"] = False


def instrument_app(app: Any) -> None:
    """Server spans for the requests of a FastAPI app, health checks and metrics aside;
    those a caller chose not to sample skip the instrumentation (`server_spans`)."""
    if not _state["enabled"]:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    from clientcard_kit.observability.server_spans import SampledOnly

    plain = app.build_middleware_stack
    # The ASGI messages' own spans (`http send`, `http receive`) say nothing the server
    # span does not.
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls="/healthz,/readyz,/metrics", exclude_spans=["receive", "send"]
    )
    traced = app.build_middleware_stack
    app.build_middleware_stack = lambda: SampledOnly(traced(), plain())


def instrument_libraries() -> None:
    """Spans for every SQL statement (at psycopg's level: whatever SQLAlchemy sends) and for
    every call to another service (httpx), which passes the trace on in `traceparent`."""
    if not _state["enabled"]:
        return
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor

    # Connections and clients made from now on are traced; the service makes them later.
    for instrumentor in (PsycopgInstrumentor(), HTTPXClientInstrumentor()):
        if not instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.instrument()


def current_traceparent() -> str | None:
    """The W3C `traceparent` of the span in progress, what an outbox row keeps."""
    if not _state["enabled"]:
        return None
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get(TRACEPARENT)


def handling(
    consumer: str, event_type: str, traceparent: str | None
) -> AbstractContextManager[object]:
    """The span of a consumer applying one event, a child of the change that published it."""
    if not _state["enabled"]:
        return nullcontext()
    parent = _propagator.extract({TRACEPARENT: traceparent}) if traceparent else None
    return _tracer.start_as_current_span(
        f"{event_type} process",
        context=parent,
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.consumer.group.name": consumer,
            "cloudevents.event_type": event_type,
        },
    )


def handling_batch(
    consumer: str, traceparents: Sequence[str | None]
) -> AbstractContextManager[object]:
    """The span of a consumer applying a batch, linked to the change behind each event."""
    if not _state["enabled"]:
        return nullcontext()
    links = [Link(context) for context in _span_contexts(traceparents)]
    return _tracer.start_as_current_span(
        f"{consumer} process batch",
        kind=SpanKind.CONSUMER,
        links=links,
        attributes={
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.consumer.group.name": consumer,
            "messaging.batch.message_count": len(traceparents),
        },
    )


def _span_contexts(traceparents: Sequence[str | None]) -> Iterator[trace.SpanContext]:
    for value in traceparents:
        if value:
            context = trace.get_current_span(_propagator.extract({TRACEPARENT: value}))
            span_context = context.get_span_context()
            if span_context.is_valid:
                yield span_context


@contextmanager
def loader_batch(name: str, keys: int) -> Iterator[None]:
    """A span for one DataLoader batch: one query for many keys of a request."""
    if not _state["enabled"]:
        yield
        return
    with _tracer.start_as_current_span(f"load {name}", attributes={"dataloader.keys": keys}):
        yield


def trace_id() -> str | None:
    """The current trace's id in hex, what a log line carries; None outside any trace."""
    if not _state["enabled"]:
        return None
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None
