"""Every HTTP request gets a request id and is counted under its route's template."""

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY

from clientcard_kit.observability.logging import request_id
from clientcard_kit.observability.middleware import REQUEST_ID_HEADER, RequestObservability

SERVICE = "observed-toy"


def toy_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(RequestObservability, service=SERVICE)

    @app.get("/receipts/{number}")
    async def receipt(number: str) -> dict[str, str]:
        # What the logs of this request are tagged with.
        return {"number": number, "request_id": request_id.get() or ""}

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("a bug")

    return app


def requests_counted(route: str, status: str) -> float:
    value = REGISTRY.get_sample_value(
        "clientcard_http_requests_total",
        {"service": SERVICE, "method": "GET", "route": route, "status": status},
    )
    return value or 0.0


def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(toy_app(), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://toy")


async def test_a_given_request_id_is_kept_and_seen_by_the_handler() -> None:
    async with client() as http:
        response = await http.get("/receipts/42", headers={REQUEST_ID_HEADER: "till-7"})
    assert response.headers[REQUEST_ID_HEADER] == "till-7"
    assert response.json() == {"number": "42", "request_id": "till-7"}


async def test_a_request_without_an_id_gets_a_new_one_each_time() -> None:
    async with client() as http:
        first = (await http.get("/receipts/1")).headers[REQUEST_ID_HEADER]
        second = (await http.get("/receipts/1")).headers[REQUEST_ID_HEADER]
    assert len(first) == len(second) == 32
    assert first != second


async def test_requests_are_counted_by_route_template_and_status() -> None:
    before_ok = requests_counted("/receipts/{number}", "200")
    before_missing = requests_counted("unmatched", "404")
    async with client() as http:
        await http.get("/receipts/1")
        await http.get("/receipts/2")
        await http.get("/nowhere")
    assert requests_counted("/receipts/{number}", "200") == before_ok + 2
    assert requests_counted("unmatched", "404") == before_missing + 1


async def test_a_request_that_crashes_counts_as_a_server_error() -> None:
    before = requests_counted("/broken", "500")
    async with client() as http:
        response = await http.get("/broken")
    assert response.status_code == 500
    assert requests_counted("/broken", "500") == before + 1
