"""CloudEvents 1.0 in Kafka binary mode: attributes in `ce_*` headers, data as JSON body."""

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from clientcard_contracts.events.base import Event

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
TENANT_HEADER = "ce_tenantid"
# Extension attributes a consumer reads; the distributed-tracing extension's, so far.
KNOWN_EXTENSIONS = ("traceparent", "tracestate")

Headers = list[tuple[str, bytes]]


class InvalidMessage(ValueError):
    """A message that can never be processed as it is; it belongs in a dead-letter topic."""


@dataclass(frozen=True, slots=True)
class CloudEvent:
    id: str
    source: str
    type: str
    tenant_id: str
    time: datetime
    data: Mapping[str, Any]
    subject: str | None = None
    extensions: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, event: Event, *, source: str, event_id: uuid.UUID | None = None) -> "CloudEvent":
        return cls(
            id=str(event_id or uuid.uuid4()),
            source=source,
            type=event.TYPE,
            tenant_id=event.tenant_id,
            time=datetime.now(UTC),
            data=event.model_dump(mode="json", by_alias=True),
            subject=event.subject(),
        )


def encode(event: CloudEvent) -> tuple[Headers, bytes]:
    body = json.dumps(event.data, separators=(",", ":"), ensure_ascii=False).encode()
    return headers_of(event), body


def headers_of(event: CloudEvent) -> Headers:
    """The binary-mode headers of an event (its `data` is the message body, not a header)."""
    headers: Headers = [
        ("ce_specversion", SPEC_VERSION.encode()),
        ("ce_id", event.id.encode()),
        ("ce_source", event.source.encode()),
        ("ce_type", event.type.encode()),
        ("ce_time", event.time.isoformat().encode()),
        (TENANT_HEADER, event.tenant_id.encode()),
        ("content-type", CONTENT_TYPE.encode()),
    ]
    if event.subject is not None:
        headers.append(("ce_subject", event.subject.encode()))
    headers.extend((f"ce_{name}", value.encode()) for name, value in event.extensions.items())
    return headers


def decode(headers: Sequence[tuple[str, bytes]], body: bytes | None) -> CloudEvent:
    """Read a binary-mode CloudEvent, or say exactly why the message is not one."""
    attributes = _header_map(headers)
    missing = [
        name
        for name in ("ce_specversion", "ce_id", "ce_source", "ce_type")
        if name not in attributes
    ]
    if missing:
        raise InvalidMessage(f"not a CloudEvent: missing header(s) {', '.join(missing)}")
    if attributes["ce_specversion"] != SPEC_VERSION:
        raise InvalidMessage(f"unsupported CloudEvents version {attributes['ce_specversion']!r}")
    data = _json_object(body)
    tenant = attributes.get(TENANT_HEADER) or data.get("tenantId")
    if not isinstance(tenant, str) or not tenant:
        raise InvalidMessage("the event names no tenant (ce_tenantid header or tenantId)")
    if data.get("tenantId", tenant) != tenant:
        raise InvalidMessage("the tenant in the header and in the body differ")
    return CloudEvent(
        id=attributes["ce_id"],
        source=attributes["ce_source"],
        type=attributes["ce_type"],
        tenant_id=tenant,
        time=_time(attributes.get("ce_time")),
        data=data,
        subject=attributes.get("ce_subject"),
        extensions={
            name: attributes[f"ce_{name}"]
            for name in KNOWN_EXTENSIONS
            if f"ce_{name}" in attributes
        },
    )


def _header_map(headers: Sequence[tuple[str, bytes]]) -> dict[str, str]:
    try:
        return {name: value.decode() for name, value in headers if value is not None}
    except UnicodeDecodeError as exc:
        raise InvalidMessage("a header is not UTF-8") from exc


def _json_object(body: bytes | None) -> dict[str, Any]:
    if not body:
        raise InvalidMessage("the message has no body")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidMessage(f"the body is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidMessage("the body must be a JSON object")
    return data


def _time(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidMessage(f"ce_time {value!r} is not an RFC 3339 timestamp") from exc
    if parsed.tzinfo is None:
        raise InvalidMessage("ce_time must carry a UTC offset")
    return parsed
