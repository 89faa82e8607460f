"""The demo's way in: the endpoints it seeds through, and the merchant's owner at the gateway."""

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

T = TypeVar("T")
WORKERS = 8


@dataclass(frozen=True, slots=True)
class Endpoints:
    gateway: str  # .../graphql
    receipts: str  # base URL of the receipts service (POS HTTP)
    messaging: str  # base URL of the messaging service (sandbox inbound)
    kafka_bootstrap_servers: str


class GraphQLError(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(str(error.get("message")) for error in errors))
        self.codes = {str((error.get("extensions") or {}).get("code")) for error in errors}


class Staff:
    """The merchant's owner at the gateway."""

    def __init__(self, url: str, token: str) -> None:
        self._url = url
        self._http = httpx.Client(headers={"authorization": f"Bearer {token}"}, timeout=30.0)

    def __call__(self, query: str, **variables: object) -> dict[str, Any]:
        response = self._http.post(self._url, json={"query": query, "variables": variables})
        body: dict[str, Any] = response.json()
        if body.get("errors"):
            raise GraphQLError(body["errors"])
        data: dict[str, Any] = body["data"]
        return data

    def close(self) -> None:
        self._http.close()


def in_parallel(work: Callable[[Any], T], items: Iterable[Any]) -> list[T]:
    """`work` on every item, eight at a time, as a busy front desk would send them."""
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="demo-seed") as pool:
        return list(pool.map(work, items))
