"""One request, one trace: a card through the gateway and a till's receipt through every
service it reaches, exported over OTLP to a receiver in the test."""

import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from clientcard_devstack.otlp import Receiver, otlp_receiver
from clientcard_devstack.wholestack import RunningSystem, running_system

from .conftest import GraphQL
from .tills import eventually, pos_receipt

pytestmark = pytest.mark.integration

SERVICES = ("customers", "bonuses", "messaging", "receipts")
CARD = (Path(__file__).parents[2] / "docs" / "examples" / "card.graphql").read_text()


@pytest.fixture(scope="module")
def traced(
    postgres_server: Any, kafka_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RunningSystem, Receiver]]:
    """A whole system of its own, every process exporting its traces to the receiver."""
    with otlp_receiver() as (endpoint, receiver), pytest.MonkeyPatch.context() as env:
        env.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
        env.setenv("OTEL_BSP_SCHEDULE_DELAY", "200")
        state = tmp_path_factory.mktemp("traced")
        with running_system(postgres_server, kafka_server, state, database_prefix="traced") as up:
            # The processes have their environment; this process goes on untraced.
            env.undo()
            yield up, receiver


def _traceparent() -> tuple[str, str]:
    trace_id = secrets.token_hex(16)
    return trace_id, f"00-{trace_id}-{secrets.token_hex(8)}-01"


def _is_sql(span: Any) -> bool:
    return "db.system" in span.attributes or "db.system.name" in span.attributes


def _services_of(spans: list[Any]) -> set[str]:
    return {span.service for span in spans}


def test_a_card_is_one_trace_through_the_gateway_and_every_subgraph(
    traced: tuple[RunningSystem, Receiver],
) -> None:
    system, receiver = traced
    tenant = f"salon-{uuid.uuid4().hex[:8]}"
    owner = GraphQL(system.gateway_url, tenant, "OWNER")
    phone = f"+7916{uuid.uuid4().int % 10_000_000:07d}"
    customer = owner(
        "mutation($p: String!) { registerCustomer(input: {phone: $p}) { id } }", p=phone
    )["registerCustomer"]["id"]

    trace_id, traceparent = _traceparent()
    response = httpx.post(
        system.gateway_url,
        json={"query": CARD, "variables": {"id": customer}},
        headers={**owner.headers, "traceparent": traceparent},
        timeout=30,
    )
    assert response.status_code == 200
    assert not response.json().get("errors"), response.json()

    def whole() -> None:
        # Each process exports its spans in its own batches: look until all have come.
        spans = receiver.of_trace(trace_id)
        assert _services_of(spans) >= {"gateway", *SERVICES}, _services_of(spans)
        gateway_spans = {span.span_id for span in spans if span.service == "gateway"}
        for service in SERVICES:
            mine = [span for span in spans if span.service == service]
            servers = [span for span in mine if span.kind == "SPAN_KIND_SERVER"]
            assert servers, (service, mine)
            # A subgraph's request is a child of a gateway's span, not a trace of its own.
            assert all(span.parent_span_id in gateway_spans for span in servers), service
            # Its SQL is in the trace too.
            assert any(_is_sql(span) for span in mine), service

    eventually(whole, timeout=30)


def test_a_receipt_from_a_till_is_followed_into_every_service_it_reaches(
    traced: tuple[RunningSystem, Receiver],
) -> None:
    system, receiver = traced
    tenant = f"salon-{uuid.uuid4().hex[:8]}"
    owner = GraphQL(system.gateway_url, tenant, "OWNER")
    owner(
        'mutation { updateLoyaltyProgram(input: {accrualPercent: "5.00", maxRedeemPercent: '
        '"50.00", expiryDays: 365, welcomeBonus: "0.00"}) { accrualPercent } }'
    )
    secret = owner('mutation { createPosApiKey(outletId: "center", posId: "till-1") { secret } }')[
        "createPosApiKey"
    ]["secret"]

    phone = f"+7916{uuid.uuid4().int % 10_000_000:07d}"
    owner("mutation($p: String!) { registerCustomer(input: {phone: $p}) { id } }", p=phone)
    trace_id, traceparent = _traceparent()
    receipts = system.service_urls["receipts"].removesuffix("/graphql")
    response = httpx.post(
        f"{receipts}/pos/v1/receipts",
        json=pos_receipt(tenant, f"T-{uuid.uuid4().hex[:6]}", phone),
        headers={"authorization": f"Bearer {secret}", "traceparent": traceparent},
        timeout=30,
    )
    assert response.status_code in (200, 201, 202), response.text

    def followed() -> None:
        in_trace = _services_of(receiver.of_trace(trace_id))
        linked = _services_of(receiver.linked_to(trace_id))
        # A message handled alone is handled in the trace of what published it (messaging's
        # survey); a consumer that takes events by the batch (bonuses' ledger, the client
        # list's figures) makes a span linked to the trace of each event in it.
        assert {"receipts", "messaging"} <= in_trace, in_trace
        assert {"bonuses", "customers"} <= in_trace | linked, (in_trace, linked)

    eventually(followed, timeout=90)
    consumed = [span for span in receiver.of_trace(trace_id) if span.kind == "SPAN_KIND_CONSUMER"]
    assert "messaging" in {span.service for span in consumed}
    batches = [span for span in receiver.linked_to(trace_id) if span.service == "bonuses"]
    assert all(span.kind == "SPAN_KIND_CONSUMER" for span in batches)
