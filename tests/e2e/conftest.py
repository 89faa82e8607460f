"""The whole system, every process real, for tests through the gateway."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from clientcard_devstack.wholestack import RunningSystem, running_system
from clientcard_kit.auth import issue_dev_token


@pytest.fixture(scope="session")
def system(
    postgres_server: Any, kafka_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningSystem]:
    state: Path = tmp_path_factory.mktemp("system")
    try:
        with running_system(postgres_server, kafka_server, state, database_prefix="e2e") as up:
            yield up
    finally:
        for log in sorted((state / "logs").glob("*.log")):
            # On a failure these are what tells why; pytest shows them with the report.
            print(f"--- {log.name} (last lines)\n{log.read_text(errors='replace')[-3000:]}")


class GraphQL:
    """GraphQL over HTTP as one member of staff of one merchant."""

    def __init__(self, url: str, tenant: str, role: str) -> None:
        self.url = url
        self.tenant = tenant
        token = issue_dev_token(tenant=tenant, role=role, subject=f"{role.lower()}@{tenant}")
        self.headers = {"authorization": f"Bearer {token}"}

    def raw(self, query: str, **variables: object) -> dict[str, Any]:
        response = httpx.post(
            self.url,
            json={"query": query, "variables": variables},
            headers=self.headers,
            timeout=30,
        )
        body: dict[str, Any] = response.json()
        return body

    def __call__(self, query: str, **variables: object) -> dict[str, Any]:
        """The data of an answer that must have no errors."""
        body = self.raw(query, **variables)
        assert not body.get("errors"), body
        data: dict[str, Any] = body["data"]
        return data


@pytest.fixture(scope="session")
def as_staff(system: RunningSystem) -> Any:
    def caller(tenant: str, role: str = "OWNER") -> GraphQL:
        return GraphQL(system.gateway_url, tenant, role)

    return caller
