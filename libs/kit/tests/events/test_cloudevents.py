"""The CloudEvents binary-mode envelope, without any server."""

from datetime import UTC, datetime

import pytest

from clientcard_kit.events import cloudevents
from clientcard_kit.events.cloudevents import CloudEvent, InvalidMessage

from .visits import VisitRecorded


def test_an_event_round_trips_through_headers_and_body() -> None:
    visit = VisitRecorded(tenant_id="salon-a", customer_id="c-1", visit_id="v1")
    headers, body = cloudevents.encode(CloudEvent.of(visit, source="/clientcard/tests"))
    names = dict(headers)
    assert names["ce_specversion"] == b"1.0"
    assert names["ce_type"] == VisitRecorded.TYPE.encode()
    assert names["ce_tenantid"] == b"salon-a"
    assert names["content-type"] == b"application/json"
    decoded = cloudevents.decode(headers, body)
    assert decoded.type == VisitRecorded.TYPE
    assert decoded.data == {
        "tenantId": "salon-a",
        "customerId": "c-1",
        "visitId": "v1",
        "note": "haircut",
    }


@pytest.mark.parametrize(
    ("headers", "body", "reason"),
    [
        ([], b"{}", r"missing header\(s\) ce_specversion, ce_id, ce_source, ce_type"),
        (
            [("ce_specversion", b"0.3"), ("ce_id", b"1"), ("ce_source", b"s"), ("ce_type", b"t")],
            b"{}",
            "unsupported CloudEvents version",
        ),
        (
            [("ce_specversion", b"1.0"), ("ce_id", b"1"), ("ce_source", b"s"), ("ce_type", b"t")],
            b"[1]",
            "must be a JSON object",
        ),
        (
            [("ce_specversion", b"1.0"), ("ce_id", b"1"), ("ce_source", b"s"), ("ce_type", b"t")],
            b'{"a": 1}',
            "names no tenant",
        ),
        (
            [
                ("ce_specversion", b"1.0"),
                ("ce_id", b"1"),
                ("ce_source", b"s"),
                ("ce_type", b"t"),
                ("ce_tenantid", b"salon-a"),
            ],
            b'{"tenantId": "salon-b"}',
            "differ",
        ),
    ],
)
def test_what_is_not_a_valid_cloudevent_is_refused_with_the_reason(
    headers: list[tuple[str, bytes]], body: bytes, reason: str
) -> None:
    with pytest.raises(InvalidMessage, match=reason):
        cloudevents.decode(headers, body)


def test_time_keeps_its_offset() -> None:
    moment = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    event = CloudEvent(
        id="1", source="s", type="t", tenant_id="a", time=moment, data={"tenantId": "a"}
    )
    assert cloudevents.decode(*cloudevents.encode(event)).time == moment
