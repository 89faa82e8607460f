"""A change's trace follows its events: outbox row, Kafka headers, the consumer's span."""

import json
import logging
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from clientcard_kit.db import Database
from clientcard_kit.events import cloudevents
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.events.outbox import OutboxRelay
from clientcard_kit.observability import tracing
from clientcard_kit.observability.logging import JsonFormatter

from .pipeline import (
    consume_until,
    event_type_on,
    inbox_count,
    make_consumer,
    publish_visits,
    raw_messages,
)


async def _outbox_traceparents(db: Database) -> list[str | None]:
    async with db.transaction() as session:
        query = sa.text("SELECT traceparent FROM outbox ORDER BY seq")
        return list((await session.scalars(query)).all())


def _ids(span: trace.Span) -> tuple[int, int]:
    context = span.get_span_context()
    assert context is not None
    return context.trace_id, context.span_id


pytestmark = pytest.mark.integration


async def test_an_event_is_handled_in_the_trace_of_the_change_that_published_it(
    db: Database,
    publisher: KafkaPublisher,
    kafka_server: Any,
    topics: dict[str, str],
    spans: InMemorySpanExporter,
) -> None:
    tracer = trace.get_tracer("tests")
    with tracer.start_as_current_span("a till sends a receipt") as request:
        await publish_visits(db, event_type_on(topics["events"]), "v1")
    request_trace, request_span = _ids(request)

    [stored] = await _outbox_traceparents(db)
    assert stored is not None
    assert stored.startswith(f"00-{request_trace:032x}-{request_span:016x}-")

    # A relay of another process (a restart in between) sends what the row kept.
    tracing.stop()
    assert await OutboxRelay(db, publisher, service="kittests").relay_once() == 1
    tracing.resume()
    [message] = await raw_messages(kafka_server, topics["events"], 1)
    assert dict(message.headers)["ce_traceparent"] == stored.encode()

    await consume_until(
        make_consumer(db, publisher, kafka_server, topics), lambda: inbox_count(db, 1)
    )
    [handled] = [span for span in spans.get_finished_spans() if span.kind is SpanKind.CONSUMER]
    assert handled.name == "kittests.visit.recorded.v1 process"
    assert handled.parent is not None
    assert (handled.parent.trace_id, handled.parent.span_id) == (request_trace, request_span)
    assert handled.attributes is not None
    assert handled.attributes["messaging.consumer.group.name"] == "visits"


async def test_untraced_changes_publish_events_without_a_trace_context(
    db: Database, publisher: KafkaPublisher, kafka_server: Any, topics: dict[str, str]
) -> None:
    await publish_visits(db, event_type_on(topics["events"]), "v1")
    assert await _outbox_traceparents(db) == [None]
    assert await OutboxRelay(db, publisher, service="kittests").relay_once() == 1
    [message] = await raw_messages(kafka_server, topics["events"], 1)
    assert "ce_traceparent" not in dict(message.headers)


def test_the_trace_context_travels_as_the_cloudevents_tracing_extension() -> None:
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    event = cloudevents.CloudEvent(
        id="e-1",
        source="tests",
        type="kittests.visit.recorded.v1",
        tenant_id="salon-a",
        time=datetime.now(UTC),
        data={"tenantId": "salon-a"},
        extensions={"traceparent": traceparent},
    )
    headers, body = cloudevents.encode(event)
    assert ("ce_traceparent", traceparent.encode()) in headers
    assert cloudevents.decode(headers, body).extensions == {"traceparent": traceparent}


@pytest.mark.parametrize(
    ("environ", "wanted"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"}, True),
        ({"OTEL_TRACES_EXPORTER": "otlp"}, True),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://x"}, False),
        ({"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://x"}, False),
    ],
)
def test_traces_are_off_unless_the_otel_variables_ask_for_them(
    environ: dict[str, str], wanted: bool
) -> None:
    assert tracing.asked_for(environ) is wanted


def test_a_log_line_written_inside_a_trace_carries_its_id(spans: InMemorySpanExporter) -> None:
    record = logging.LogRecord("tests", logging.INFO, __file__, 1, "stored", None, None)
    formatter = JsonFormatter("kittests")
    assert "trace_id" not in json.loads(formatter.format(record))
    with trace.get_tracer("tests").start_as_current_span("request") as span:
        line = json.loads(formatter.format(record))
    assert line["trace_id"] == f"{span.get_span_context().trace_id:032x}"
