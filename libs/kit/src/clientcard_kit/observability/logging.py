"""JSON logs, one object a line, carrying the request or event being worked on."""

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from clientcard_kit.observability import tracing

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
event_id: ContextVar[str | None] = ContextVar("event_id", default=None)


@contextmanager
def event_context(value: str) -> Iterator[None]:
    token = event_id.set(value)
    try:
        yield
    finally:
        event_id.reset(token)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self._service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (current_request := request_id.get()) is not None:
            entry["request_id"] = current_request
        if (current_event := event_id.get()) is not None:
            entry["event_id"] = current_event
        if (current_trace := tracing.trace_id()) is not None:
            entry["trace_id"] = current_trace
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # aiokafka reports every routine rebalance at INFO; keep its warnings and errors.
    logging.getLogger("aiokafka").setLevel(max(root.level, logging.WARNING))
    # Calls between services log each request at INFO: too much for a service's log.
    logging.getLogger("httpx").setLevel(max(root.level, logging.WARNING))
