"""Jobs survive crashes: customers is killed (SIGKILL) while it works through a bulk
accrual and a bulk segment assignment, bonuses is killed while it applies the accruals;
after both are back, every job finishes and every customer got exactly one accrual and
one membership.

A system of its own runs with small batches and a short lease, so the jobs are many
batches long and a dead runner's job is taken over within seconds.
"""

import asyncio
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import sqlalchemy as sa

from clientcard_devstack.wholestack import RunningSystem, running_system
from clientcard_kit.auth import issue_dev_token

from .conftest import GraphQL
from .tills import eventually

# A system of its own to start, a hundred registrations, two restarts: minutes, not seconds.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

WOMEN, MEN = 100, 20
PREFIX = "jobcrash"
REGISTER = """mutation($p: String!, $g: Gender) {
  registerCustomer(input: {phone: $p, firstName: "Клиентка", gender: $g}) { id } }"""
JOB = "query($id: ID!) { job(id: $id) { status total processed failed error } }"


@pytest.fixture(scope="module")
def crashing_system(
    postgres_server: Any, kafka_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningSystem]:
    state: Path = tmp_path_factory.mktemp("jobs-system")
    small = {"customers": (("JOB_BATCH_SIZE", "2"), ("JOB_LEASE_SECONDS", "2"))}
    try:
        with running_system(
            postgres_server, kafka_server, state, database_prefix=PREFIX, service_defaults=small
        ) as up:
            yield up
    finally:
        for log in sorted((state / "logs").glob("*.log")):
            print(f"--- {log.name} (last lines)\n{log.read_text(errors='replace')[-3000:]}")


async def register_all(url: str, tenant: str) -> None:
    token = issue_dev_token(tenant=tenant, role="MANAGER", subject=f"manager@{tenant}")
    headers = {"authorization": f"Bearer {token}"}
    genders = ["FEMALE"] * WOMEN + ["MALE"] * MEN
    limit = asyncio.Semaphore(8)
    async with httpx.AsyncClient(timeout=30) as client:

        async def one(gender: str) -> None:
            phone = f"+7917{uuid.uuid4().int % 10_000_000:07d}"
            async with limit:
                answer = await client.post(
                    url,
                    json={"query": REGISTER, "variables": {"p": phone, "g": gender}},
                    headers=headers,
                )
            assert "errors" not in answer.json(), answer.text

        await asyncio.gather(*(one(gender) for gender in genders))


def crash(system: RunningSystem, name: str) -> None:
    """kill -9 the service, and start it again once its port is free."""
    system.kill_service(name)
    port = urlsplit(system.service_urls[name]).port
    assert port is not None

    def port_free() -> None:
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0

    eventually(port_free, timeout=30)
    system.start_service(name)


def job_of(manager: GraphQL, job_id: str) -> dict[str, Any]:
    found: dict[str, Any] = manager(JOB, id=job_id)["job"]
    return found


def test_jobs_finish_once_per_customer_though_customers_and_bonuses_are_killed(
    crashing_system: RunningSystem, postgres_server: Any
) -> None:
    system = crashing_system
    tenant = f"salon-{uuid.uuid4().hex[:8]}"
    manager = GraphQL(system.gateway_url, tenant, "MANAGER")
    asyncio.run(register_all(system.gateway_url, tenant))
    segment = manager('mutation { createSegment(name: "Весна") { id } }')["createSegment"]["id"]
    women = {"gender": "FEMALE"}
    accrual = manager(
        """mutation($f: CustomerFilter!) { accrueBonusesByFilter(filter: $f, amount: "25.00",
             comment: "Весенний подарок") { id } }""",
        f=women,
    )["accrueBonusesByFilter"]["id"]
    assignment = manager(
        """mutation($f: CustomerFilter!, $s: [ID!]!) {
             assignSegmentsByFilter(filter: $f, segmentIds: $s) { id } }""",
        f=women,
        s=[segment],
    )["assignSegmentsByFilter"]["id"]

    def under_way() -> None:
        assert job_of(manager, accrual)["status"] == "RUNNING"

    eventually(under_way, timeout=30)
    crash(system, "customers")
    crash(system, "bonuses")

    def done(job_id: str) -> None:
        job = job_of(manager, job_id)
        assert (job["status"], job["total"], job["processed"], job["failed"]) == (
            "SUCCEEDED",
            WOMEN,
            WOMEN,
            0,
        ), job

    eventually(lambda: done(accrual), timeout=180)
    eventually(lambda: done(assignment), timeout=60)
    segments = manager("{ segments { id customersCount } }")["segments"]
    assert {s["id"]: s["customersCount"] for s in segments} == {segment: WOMEN}
    # Each woman has exactly one accrual of the job in her ledger, the men none. (Another
    # system on the same broker may have counted the job done first: look until all land.)
    engine = sa.create_engine(postgres_server.app_url(f"{PREFIX}_bonuses"))

    def one_each() -> None:
        with engine.begin() as connection:
            connection.execute(
                sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": tenant}
            )
            per_customer = connection.execute(
                sa.text(
                    "SELECT count(*) FROM bonus_operations WHERE comment = 'Весенний подарок' "
                    "GROUP BY customer_id"
                )
            ).scalars()
            assert list(per_customer) == [1] * WOMEN

    try:
        eventually(one_each, timeout=120)
    finally:
        engine.dispose()
