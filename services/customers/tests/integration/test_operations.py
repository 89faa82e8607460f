"""What an operator sees of a running service: health, readiness, metrics, request ids."""

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.integration


async def test_health_readiness_and_metrics(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "alive"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "kafka": "ok"}
    metrics = (await client.get("/metrics")).text
    assert 'clientcard_http_requests_total{method="GET",route="/readyz"' in metrics


async def test_a_request_id_is_returned_and_kept_when_given(client: httpx.AsyncClient) -> None:
    given = await client.get("/healthz", headers={"x-request-id": "till-42"})
    assert given.headers["x-request-id"] == "till-42"
    assert len((await client.get("/healthz")).headers["x-request-id"]) == 32


async def test_the_graphql_endpoint_refuses_an_anonymous_operation(
    client: httpx.AsyncClient, as_tenant: Any
) -> None:
    answer = (await client.post("/graphql", json={"query": "{ segments { id } }"})).json()
    assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # Outside development (these tests run as `test`) the schema is not public either.
    anonymous = (await client.post("/graphql", json={"query": "{ _service { sdl } }"})).json()
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    sdl = await as_tenant("salon", "VIEWER")("{ _service { sdl } }")
    assert "type Customer" in sdl["data"]["_service"]["sdl"]
