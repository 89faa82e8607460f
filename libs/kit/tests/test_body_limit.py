"""A body over the limit is refused with 413 before the app reads it; others pass."""

from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from clientcard_kit.body_limit import BodyLimit

read: list[int] = []


async def echo(request: Request) -> JSONResponse:
    body = await request.body()
    read.append(len(body))
    return JSONResponse({"length": len(body)})


def client() -> httpx.AsyncClient:
    app = BodyLimit(Starlette(routes=[Route("/", echo, methods=["POST"])]), max_bytes=1000)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service")


async def test_a_body_within_the_limit_is_served() -> None:
    async with client() as http:
        answer = await http.post("/", content=b"x" * 1000)
    assert (answer.status_code, answer.json()) == (200, {"length": 1000})


async def test_a_declared_length_over_the_limit_is_refused_unread() -> None:
    read.clear()
    async with client() as http:
        answer = await http.post("/", content=b"x" * 1001)
    assert answer.status_code == 413
    assert "1000 bytes" in answer.json()["detail"]
    assert read == []


async def test_a_body_in_chunks_is_cut_off_at_the_limit() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b"y" * 100

    read.clear()
    async with client() as http:
        answer = await http.post("/", content=chunks())
    assert answer.status_code == 413
    assert read == []
