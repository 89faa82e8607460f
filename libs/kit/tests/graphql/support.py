"""Calling the toy subgraph over HTTP with tokens, and reading the errors it answers."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
from fastapi import FastAPI
from strawberry.federation import Schema

from clientcard_kit.auth import Principal, Role, TokenVerifier, issue_dev_token
from clientcard_kit.graphql import graphql_router, make_context_getter

from .toy import CustomerRecord, ToyServices

SECRET = "kit-graphql-tests-secret-of-enough-length"
TENANT = "salon-a"


def token(role: Role = Role.VIEWER, **overrides: Any) -> str:
    return issue_dev_token(tenant=TENANT, role=role, **{"secret": SECRET, **overrides})


def bearer(role: Role = Role.VIEWER, **overrides: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, **overrides)}"}


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


def messages(body: dict[str, Any]) -> list[str]:
    return [error["message"] for error in body.get("errors") or []]


def sample_customers() -> dict[str, CustomerRecord]:
    return {
        key: CustomerRecord(id=key, name=f"Customer {key}", balance=Decimal("10.00"))
        for key in ("1", "2", "3", "4", "5")
    }


@dataclass
class Subgraph:
    """The toy subgraph served by FastAPI, and the services it built, one per request."""

    client: httpx.AsyncClient
    requests: list[ToyServices] = field(default_factory=list)

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    @property
    def batches(self) -> list[list[str]]:
        return [batch for services in self.requests for batch in services.batches]


def serve(schema: Schema, *, schema_is_public: bool = True) -> Subgraph:
    store = sample_customers()
    made: list[ToyServices] = []

    def services(principal: Principal | None) -> ToyServices:
        made.append(ToyServices(principal=principal, customers=store))
        return made[-1]

    app = FastAPI()
    context_getter = make_context_getter(
        TokenVerifier(secret=SECRET), services, schema_is_public=schema_is_public
    )
    app.include_router(graphql_router(schema, context_getter), prefix="/graphql")
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://subgraph")
    return Subgraph(client=client, requests=made)
