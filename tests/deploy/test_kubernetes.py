"""The Kubernetes manifests: each overlay renders, validates against the Kubernetes
schemas, and gives every service what it needs to run and scale on its own. The overlay
`prod-hive-router` is production with Hive Router in the gateway's place (the component
deploy/k8s/components/hive-router)."""

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from clientcard_contracts.topics import SERVICES, TOPICS
from clientcard_devstack.registry import GATEWAY_PORT, SERVICE_PORTS, WEB_PORT
from clientcard_kit.runtime import STOP_TIMEOUT_SECONDS

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
OVERLAYS = {"dev": "clientcard-dev", "prod": "clientcard", "prod-hive-router": "clientcard"}
# The overlays whose Deployment `gateway` runs Hive Router.
ROUTED = {"prod-hive-router"}
# Oldest and newest Kubernetes minor versions the manifests are checked against.
KUBERNETES_VERSIONS = ("1.31", "1.37")
PORTS = {**SERVICE_PORTS, "gateway": GATEWAY_PORT, "web": WEB_PORT}
PROBES = {
    "service": ("/readyz", "/healthz"),
    "gateway": ("/readiness", "/healthcheck"),
    "router": ("/readiness", "/health"),
}
DOCKER = K8S.parent / "docker"

Manifest = dict[str, Any]
Runner = Callable[[list[str]], str]
Launcher = Callable[[str, str], list[str]]


@pytest.fixture(scope="module", params=sorted(OVERLAYS))
def overlay(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="module")
def manifests(overlay: str, kustomize: Runner) -> list[Manifest]:
    rendered = kustomize(["build", str(K8S / "overlays" / overlay)])
    return [doc for doc in yaml.safe_load_all(rendered) if doc]


def find(manifests: list[Manifest], kind: str, name: str) -> Manifest:
    matches = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind} {name}, found {len(matches)}"
    return matches[0]


def container(workload: Manifest) -> Manifest:
    containers: list[Manifest] = workload["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def pod_specs(manifests: list[Manifest]) -> Iterator[tuple[str, Manifest]]:
    for manifest in manifests:
        if manifest["kind"] in ("Deployment", "Job"):
            yield manifest["metadata"]["name"], manifest["spec"]["template"]["spec"]


def kubernetes_validate() -> Any:
    return pytest.importorskip(
        "kubernetes_validate",
        reason="the schema check needs the PyPI package kubernetes-validate in .venv",
    )


def test_every_manifest_validates_against_the_kubernetes_schemas(
    manifests: list[Manifest],
) -> None:
    validator = kubernetes_validate()
    for manifest in manifests:
        for version in KUBERNETES_VERSIONS:
            # strict: a field the schema does not know (a typo) is an error too.
            validator.validate(manifest, version, strict=True)


def test_the_schema_check_rejects_a_misspelt_field(manifests: list[Manifest]) -> None:
    validator = kubernetes_validate()
    deployment = copy.deepcopy(find(manifests, "Deployment", "customers"))
    probes = container(deployment)
    probes["readinesProbe"] = probes.pop("readinessProbe")
    with pytest.raises(validator.ValidationError):
        validator.validate(deployment, KUBERNETES_VERSIONS[-1], strict=True)


@pytest.mark.parametrize("name", [*SERVICES, "gateway", "web"])
def test_every_workload_has_probes_resources_an_autoscaler_and_a_budget(
    overlay: str, manifests: list[Manifest], name: str
) -> None:
    deployment = find(manifests, "Deployment", name)
    app = container(deployment)
    kind = "service" if name != "gateway" else "router" if overlay in ROUTED else "gateway"
    ready, alive = PROBES[kind]
    assert app["readinessProbe"]["httpGet"]["path"] == ready
    assert app["livenessProbe"]["httpGet"]["path"] == alive
    assert app["startupProbe"]["httpGet"]["path"] == alive
    for kind in ("requests", "limits"):
        assert set(app["resources"][kind]) >= {"cpu", "memory"}, f"{name}: {kind}"
    assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"

    autoscaler = find(manifests, "HorizontalPodAutoscaler", name)
    target = autoscaler["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", name)
    assert 1 <= autoscaler["spec"]["minReplicas"] <= autoscaler["spec"]["maxReplicas"]

    budget = find(manifests, "PodDisruptionBudget", name)
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    selector = budget["spec"]["selector"]["matchLabels"]
    assert selector.items() <= pod_labels.items(), f"{name}: the budget selects no pod"


@pytest.mark.parametrize("name", SERVICES)
def test_consumers_scale_no_further_than_the_partitions(
    manifests: list[Manifest], name: str
) -> None:
    """A consumer group has at most one active member per partition."""
    partitions = max(topic.partitions for topic in TOPICS)
    assert find(manifests, "HorizontalPodAutoscaler", name)["spec"]["maxReplicas"] <= partitions


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_runs_the_launchers_entry_point_and_migrates_in_a_job(
    manifests: list[Manifest], name: str, launcher_argv: Launcher
) -> None:
    app = container(find(manifests, "Deployment", name))
    assert app["args"] == launcher_argv(name, "serve")
    job = find(manifests, "Job", f"{name}-migrate")
    migrate = container(job)
    assert migrate["args"] == launcher_argv(name, "migrate")
    assert migrate["image"] == app["image"], "the job migrates for the image that serves"
    assert migrate["envFrom"] == app["envFrom"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


@pytest.mark.parametrize("name", [*SERVICES, "gateway", "web"])
def test_ports_agree_with_the_local_stack(manifests: list[Manifest], name: str) -> None:
    port = PORTS[name]
    app = container(find(manifests, "Deployment", name))
    assert app["ports"] == [{"name": "http", "containerPort": port}]
    service = find(manifests, "Service", name)
    assert service["spec"]["ports"][0]["port"] == port
    config_name = app["envFrom"][0]["configMapRef"]["name"]
    prefix = "GATEWAY" if name == "gateway" else name.upper()
    assert find(manifests, "ConfigMap", config_name)["data"][f"{prefix}_PORT"] == str(port)


def test_config_and_secret_references_resolve(overlay: str, manifests: list[Manifest]) -> None:
    defined = {(m["kind"], m["metadata"]["name"]) for m in manifests}
    secrets: set[str] = set()
    for name, spec in pod_specs(manifests):
        for source in spec["containers"][0].get("envFrom", []):
            if "configMapRef" in source:
                assert ("ConfigMap", source["configMapRef"]["name"]) in defined, name
            else:
                secrets.add(source["secretRef"]["name"])
    generated = {secret for kind, secret in defined if kind == "Secret"}
    if overlay == "dev":
        assert secrets <= generated
    else:
        # Production secrets are made by the platform team, never rendered here.
        assert not generated
        assert secrets == {f"{name}-secrets" for name in (*SERVICES, "gateway")}


def test_everything_lands_in_the_overlays_namespace(
    overlay: str, manifests: list[Manifest]
) -> None:
    assert {m["metadata"].get("namespace") for m in manifests} == {OVERLAYS[overlay]}


def test_pods_run_unprivileged(manifests: list[Manifest]) -> None:
    for name, spec in pod_specs(manifests):
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["automountServiceAccountToken"] is False, name
        context = spec["containers"][0]["securityContext"]
        assert context["allowPrivilegeEscalation"] is False, name
        assert context["readOnlyRootFilesystem"] is True, name
        assert context["capabilities"]["drop"] == ["ALL"], name


def test_the_grace_period_covers_the_services_shutdown(manifests: list[Manifest]) -> None:
    """Uvicorn drains for 25 s, the runtime stops its loops within 20 s (runtime.py)."""
    for name in SERVICES:
        spec = find(manifests, "Deployment", name)["spec"]["template"]["spec"]
        assert spec["terminationGracePeriodSeconds"] >= 25 + STOP_TIMEOUT_SECONDS + 5


def test_the_development_cluster_gets_the_contract_topics(kustomize: Runner) -> None:
    rendered = kustomize(["build", str(K8S / "overlays" / "dev")])
    job = find([doc for doc in yaml.safe_load_all(rendered) if doc], "Job", "kafka-topics")
    environment = {item["name"]: item["value"] for item in container(job)["env"]}
    made = dict(entry.split(":") for entry in environment["CLIENTCARD_TOPICS"].split())
    assert made == {topic.name: str(topic.partitions) for topic in TOPICS}


def test_the_router_overlay_changes_only_what_runs_in_the_gateways_pods(
    kustomize: Runner,
) -> None:
    """Same Service, autoscaler, budget, ConfigMap and Secret: only the pods' image, their
    command, user and probes differ, and they agree with the router image."""
    render = {
        name: [
            doc
            for doc in yaml.safe_load_all(kustomize(["build", str(K8S / "overlays" / name)]))
            if doc
        ]
        for name in ("prod", "prod-hive-router")
    }
    gateway, router = (find(render[name], "Deployment", "gateway") for name in render)
    others = [
        [m for m in render[name] if (m["kind"], m["metadata"]["name"]) != ("Deployment", "gateway")]
        for name in render
    ]
    assert others[0] == others[1]

    dockerfile = (DOCKER / "router.Dockerfile").read_text().splitlines()
    command = [line for line in dockerfile if line.startswith("CMD [")]
    user = [line.split()[1] for line in dockerfile if line.startswith("USER ")]
    app, pod = container(router), router["spec"]["template"]["spec"]
    assert app["image"] == "clientcard/router:0.1.0"
    assert app["args"] == yaml.safe_load(command[0][len("CMD ") :])
    assert (
        f"{pod['securityContext']['runAsUser']}:{pod['securityContext']['runAsGroup']}" == user[-1]
    )
    assert app["envFrom"] == container(gateway)["envFrom"], "the gateway's settings, unchanged"
