"""deploy/compose.yaml, read as YAML (`docker compose config` needs an engine): it names
everything the stack needs and starts it in an order where each part finds what it uses."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from clientcard_contracts.topics import SERVICES, TOPICS
from clientcard_devstack.registry import GATEWAY_PORT, SERVICE_PORTS, WEB_PORT

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
REPO = DEPLOY.parent
JOBS = ("kafka-topics", *(f"{name}-migrate" for name in SERVICES))
LONG_RUNNING = ("postgres", "kafka", *SERVICES, "gateway", "web")

Launcher = Callable[[str, str], list[str]]
Service = dict[str, Any]


@pytest.fixture(scope="module")
def stack() -> dict[str, Service]:
    document = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services: dict[str, Service] = document["services"]
    return services


def conditions(service: Service) -> dict[str, str]:
    return {name: rule["condition"] for name, rule in service.get("depends_on", {}).items()}


def test_the_stack_names_every_part(stack: dict[str, Service]) -> None:
    assert set(stack) == {*LONG_RUNNING, *JOBS}


def test_kafka_is_the_official_image_in_kraft_mode(stack: dict[str, Service]) -> None:
    kafka = stack["kafka"]
    assert re.fullmatch(r"apache/kafka:\d+\.\d+\.\d+", kafka["image"])
    assert set(kafka["environment"]["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert stack["kafka-topics"]["image"] == kafka["image"]


def test_the_topic_job_makes_the_contract_topics(stack: dict[str, Service]) -> None:
    listed = stack["kafka-topics"]["environment"]["CLIENTCARD_TOPICS"].split()
    made = {entry.split(":")[0]: int(entry.split(":")[1]) for entry in listed}
    assert made == {topic.name: topic.partitions for topic in TOPICS}


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_migrates_then_serves_with_the_launchers_commands(
    stack: dict[str, Service], name: str, launcher_argv: Launcher
) -> None:
    service, job = stack[name], stack[f"{name}-migrate"]
    assert service["command"] == launcher_argv(name, "serve")
    assert job["command"] == launcher_argv(name, "migrate")
    assert job["image"] == service["image"]
    assert job["build"] == service["build"]
    assert job["environment"] == service["environment"]
    assert (REPO / service["build"]["dockerfile"]).is_file()
    assert conditions(job) == {"postgres": "service_healthy"}
    assert conditions(service) == {
        "postgres": "service_healthy",
        "kafka": "service_healthy",
        "kafka-topics": "service_completed_successfully",
        f"{name}-migrate": "service_completed_successfully",
    }


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_reaches_its_own_database_and_the_broker(
    stack: dict[str, Service], name: str
) -> None:
    prefix = name.upper()
    environment = stack[name]["environment"]
    assert environment[f"{prefix}_DATABASE_URL"].endswith(f"@postgres:5432/{name}")
    assert environment[f"{prefix}_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    port = SERVICE_PORTS[name]
    assert stack[name]["ports"] == [f"127.0.0.1:{port}:{port}"]


def test_the_gateway_starts_after_every_subgraph_is_ready(stack: dict[str, Service]) -> None:
    gateway = stack["gateway"]
    assert conditions(gateway) == dict.fromkeys(SERVICES, "service_healthy")
    for name in SERVICES:
        url = gateway["environment"][f"{name.upper()}_URL"]
        assert url == f"http://{name}:{SERVICE_PORTS[name]}/graphql"
    assert gateway["ports"] == [f"127.0.0.1:{GATEWAY_PORT}:{GATEWAY_PORT}"]


def test_the_web_app_starts_after_the_gateway_it_passes_the_api_to(
    stack: dict[str, Service],
) -> None:
    web = stack["web"]
    assert conditions(web) == {"gateway": "service_healthy"}
    assert web["environment"]["WEB_GATEWAY_URL"] == f"http://gateway:{GATEWAY_PORT}/graphql"
    assert web["ports"] == [f"127.0.0.1:{WEB_PORT}:{WEB_PORT}"]


def test_every_one_shot_job_is_awaited_by_a_long_running_service(
    stack: dict[str, Service],
) -> None:
    """What `docker compose up --wait` needs to treat a finished job as success."""
    for job in JOBS:
        assert stack[job]["restart"] == "no"
        waiting = [
            name
            for name in LONG_RUNNING
            if conditions(stack[name]).get(job) == "service_completed_successfully"
        ]
        assert waiting, f"nothing waits for {job}"


def test_every_dependency_on_health_has_a_health_check(stack: dict[str, Service]) -> None:
    for name, service in stack.items():
        for dependency, condition in conditions(service).items():
            if condition != "service_healthy":
                continue
            target = stack[dependency]
            if "healthcheck" in target:
                continue
            # Otherwise the image's own HEALTHCHECK.
            dockerfile = REPO / target["build"]["dockerfile"]
            assert "\nHEALTHCHECK " in dockerfile.read_text(), f"{name} -> {dependency}"


def test_postgres_gets_a_role_bound_by_row_level_security_and_one_database_each(
    stack: dict[str, Service],
) -> None:
    init = stack["postgres"]["volumes"][1].split(":")[0]
    sql = (DEPLOY / init).read_text()
    role = re.search(r"CREATE ROLE (\w+) WITH ([^;]+);", sql)
    assert role is not None
    assert {"NOSUPERUSER", "NOBYPASSRLS"} <= set(role.group(2).split())
    for name in SERVICES:
        assert f"CREATE DATABASE {name} OWNER {role.group(1)};" in sql
        url = stack[name]["environment"][f"{name.upper()}_DATABASE_URL"]
        assert f"//{role.group(1)}:" in url
