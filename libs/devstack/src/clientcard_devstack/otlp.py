"""An OTLP/HTTP trace receiver in this process, for the trace tests and the tracing
benchmarks: what the services and the gateway export, decoded from protobuf (the Python
SDK's default) or JSON (the gateway's), or only acknowledged when nothing is kept."""

import base64
import gzip
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from google.protobuf.json_format import MessageToDict, ParseDict
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)


@dataclass(frozen=True)
class ReceivedSpan:
    service: str
    name: str
    kind: str
    trace_id: str
    span_id: str
    parent_span_id: str
    linked_trace_ids: tuple[str, ...]
    attributes: dict[str, Any]


class Receiver:
    def __init__(self, *, keep: bool) -> None:
        self.keep = keep
        self.spans: list[ReceivedSpan] = []
        self.requests = 0
        self._lock = threading.Lock()

    def add(self, request: dict[str, Any]) -> None:
        found = list(_spans(request))
        with self._lock:
            self.spans.extend(found)

    def of_trace(self, trace_id: str) -> list[ReceivedSpan]:
        with self._lock:
            return [span for span in self.spans if span.trace_id == trace_id]

    def linked_to(self, trace_id: str) -> list[ReceivedSpan]:
        with self._lock:
            return [span for span in self.spans if trace_id in span.linked_trace_ids]


@contextmanager
def otlp_receiver(*, keep: bool = True) -> Iterator[tuple[str, Receiver]]:
    """An OTLP endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT`) and what reaches it; with
    `keep=False` it answers every export without decoding it (a sink for benchmarks)."""
    receiver = Receiver(keep=keep)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self._body()
            receiver.requests += 1
            if not receiver.keep:
                self._answer(b"", "application/x-protobuf")
                return
            if self.headers.get("content-encoding") == "gzip":
                body = gzip.decompress(body)
            if self.headers.get("content-type", "").startswith("application/json"):
                receiver.add(_json_request(body))
                answer, kind = b"{}", "application/json"
            else:
                request = ExportTraceServiceRequest.FromString(body)
                receiver.add(MessageToDict(request))
                answer = ExportTraceServiceResponse().SerializeToString()
                kind = "application/x-protobuf"
            self._answer(answer, kind)

        def _answer(self, answer: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def _body(self) -> bytes:
            if self.headers.get("transfer-encoding", "").lower() != "chunked":
                return self.rfile.read(int(self.headers.get("content-length", "0")))
            # Node's exporter streams its body in chunks, with no length up front.
            parts = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(parts)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", receiver
    finally:
        server.shutdown()
        server.server_close()


def _json_request(body: bytes) -> dict[str, Any]:
    # OTLP/JSON spells ids in hex, where protobuf's JSON mapping has base64: bring them to
    # the protobuf form so both are read the same way.
    parsed = json.loads(body)
    request = ExportTraceServiceRequest()
    for resource in parsed.get("resourceSpans", []):
        for scope in resource.get("scopeSpans", []):
            for span in scope.get("spans", []):
                for key in ("traceId", "spanId", "parentSpanId"):
                    if span.get(key):
                        span[key] = _hex_to_base64(span[key])
                for link in span.get("links", []):
                    for key in ("traceId", "spanId"):
                        link[key] = _hex_to_base64(link[key])
    ParseDict(parsed, request, ignore_unknown_fields=True)
    decoded: dict[str, Any] = MessageToDict(request)
    return decoded


def _hex_to_base64(value: str) -> str:
    return base64.b64encode(bytes.fromhex(value)).decode()


@contextmanager
def exporting_traces(percent: float) -> Iterator[str]:
    """Every process started inside the block exports `percent` % of the traces it starts
    to a sink in this process that acknowledges them unread (as a collector would, off the
    clock): the tracing benchmarks' setting. Yields the endpoint."""
    with otlp_receiver(keep=False) as (endpoint, _):
        variables = {
            "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
            "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
            "OTEL_TRACES_SAMPLER_ARG": str(percent / 100),
        }
        before = {name: os.environ.get(name) for name in variables}
        os.environ.update(variables)
        try:
            yield endpoint
        finally:
            for name, value in before.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def _spans(request: dict[str, Any]) -> Iterator[ReceivedSpan]:
    for resource in request.get("resourceSpans", []):
        attributes = _attributes(resource.get("resource", {}).get("attributes", []))
        service = str(attributes.get("service.name", ""))
        for scope in resource.get("scopeSpans", []):
            for span in scope.get("spans", []):
                yield ReceivedSpan(
                    service=service,
                    name=span.get("name", ""),
                    kind=span.get("kind", ""),
                    trace_id=_hex(span.get("traceId", "")),
                    span_id=_hex(span.get("spanId", "")),
                    parent_span_id=_hex(span.get("parentSpanId", "")),
                    linked_trace_ids=tuple(_hex(link["traceId"]) for link in span.get("links", [])),
                    attributes=_attributes(span.get("attributes", [])),
                )


def _hex(value: str) -> str:
    return base64.b64decode(value).hex() if value else ""


def _attributes(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for pair in pairs:
        value = pair.get("value", {})
        found[pair["key"]] = next(iter(value.values()), None) if value else None
    return found
