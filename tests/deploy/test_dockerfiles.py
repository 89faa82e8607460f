"""The images: each Dockerfile passes hadolint and keeps the rules of docs/operations.md
(multi-stage, pinned bases, a non-root user, a health check), and its CMD starts the
same entry point `make up` starts. The router image (Hive Router in the gateway's place)
has no counterpart in `make up`: its CMD starts the launcher checked in beside its
configuration (deploy/router)."""

import fnmatch
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from clientcard_contracts.topics import SERVICES
from clientcard_devstack.gateway import gateway_command
from clientcard_devstack.registry import GATEWAY_PORT, SERVICE_PORTS, WEB_PORT

REPO = Path(__file__).resolve().parents[2]
DOCKER = REPO / "deploy" / "docker"
COMPONENTS = (*SERVICES, "gateway", "router", "web")
PINNED = re.compile(r"[a-z0-9./-]+:[0-9][\w.-]*@sha256:[0-9a-f]{64}")

Launcher = Callable[[str, str], list[str]]
Runner = Callable[[list[str]], str]
Instruction = tuple[str, str]


def dockerfile(name: str) -> Path:
    return DOCKER / f"{name}.Dockerfile"


def instructions(path: Path) -> list[Instruction]:
    """(KEYWORD, arguments) per instruction, continuation lines joined, comments dropped."""
    logical: list[str] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    assert not pending, f"{path.name} ends inside a continued line"
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1]) for text in logical]


def final_stage(steps: list[Instruction]) -> list[Instruction]:
    starts = [i for i, (keyword, _) in enumerate(steps) if keyword == "FROM"]
    return steps[starts[-1] :]


def exec_form(steps: list[Instruction], keyword: str) -> list[str]:
    values = [args for key, args in steps if key == keyword]
    assert len(values) == 1, f"expected one {keyword}"
    parsed: list[str] = json.loads(values[0])
    return parsed


def test_every_component_has_a_dockerfile() -> None:
    assert {path.name for path in DOCKER.glob("*.Dockerfile")} == {
        f"{name}.Dockerfile" for name in COMPONENTS
    }


def test_hadolint_finds_nothing(hadolint: Runner) -> None:
    hadolint(["--failure-threshold", "info", *(str(dockerfile(n)) for n in COMPONENTS)])


@pytest.mark.parametrize("name", COMPONENTS)
def test_images_are_multi_stage_on_pinned_bases(name: str) -> None:
    bases = [args.split()[0] for key, args in instructions(dockerfile(name)) if key == "FROM"]
    assert len(bases) >= 2, "a build stage and a smaller runtime stage"
    for base in bases:
        assert PINNED.fullmatch(base), f"{base}: pin an exact tag and its digest"


@pytest.mark.parametrize("name", COMPONENTS)
def test_the_runtime_runs_as_a_non_root_user_with_a_health_check(name: str) -> None:
    runtime = final_stage(instructions(dockerfile(name)))
    users = [args for key, args in runtime if key == "USER"]
    assert users, "the runtime stage sets a user"
    assert users[-1].split(":")[0] not in ("0", "root")
    health = exec_form(
        [(k, a.split(" CMD ", 1)[1]) for k, a in runtime if k == "HEALTHCHECK"], "HEALTHCHECK"
    )
    ready = "/readiness" if name in ("gateway", "router") else "/readyz"
    assert any(ready in part for part in health)


@pytest.mark.parametrize("name", SERVICES)
def test_a_service_image_serves_with_the_launchers_command(
    name: str, launcher_argv: Launcher
) -> None:
    runtime = final_stage(instructions(dockerfile(name)))
    assert exec_form(runtime, "CMD") == launcher_argv(name, "serve")
    assert not [args for key, args in runtime if key == "ENTRYPOINT"]
    port = SERVICE_PORTS[name]
    assert [args for key, args in runtime if key == "EXPOSE"] == [str(port)]
    environment = " ".join(args for key, args in runtime if key == "ENV")
    assert f"{name.upper()}_PORT={port}" in environment
    assert f"{name.upper()}_HOST=0.0.0.0" in environment


def test_the_gateway_image_starts_the_launchers_script() -> None:
    runtime = final_stage(instructions(dockerfile("gateway")))
    command = gateway_command(REPO)
    assert command is not None
    script = Path(command[0]).relative_to(REPO)
    assert exec_form(runtime, "CMD") == [f"/app/{script}"]
    assert [args for key, args in runtime if key == "EXPOSE"] == [str(GATEWAY_PORT)]


def test_the_router_image_starts_its_launcher_with_its_configuration() -> None:
    runtime = final_stage(instructions(dockerfile("router")))
    assert exec_form(runtime, "CMD") == ["/app/router/clientcard-router"]
    assert (REPO / "deploy" / "router" / "clientcard-router").stat().st_mode & 0o111
    assert [args for key, args in runtime if key == "EXPOSE"] == [str(GATEWAY_PORT)]
    copied = " ".join(args for key, args in runtime if key == "COPY")
    for name in ("router.config.yaml", "router.jwks-url.config.yaml", "clientcard-router"):
        assert f"deploy/router/{name}" in copied, name
    assert "gateway/supergraph.graphql /app/router/supergraph.graphql" in copied


def test_the_web_image_serves_the_built_app_with_its_own_server() -> None:
    runtime = final_stage(instructions(dockerfile("web")))
    assert exec_form(runtime, "CMD") == ["node", "/app/web/server/serve.mjs"]
    assert (REPO / "web" / "server" / "serve.mjs").is_file()
    assert [args for key, args in runtime if key == "EXPOSE"] == [str(WEB_PORT)]
    copied = [args for key, args in runtime if key == "COPY"]
    assert any("/app/web/dist" in args for args in copied), "the built files"


def test_the_service_dockerfiles_differ_only_in_name_and_port() -> None:
    template = dockerfile("customers").read_text()
    for name in SERVICES:
        expected = (
            template.replace("customers", name)
            .replace("CUSTOMERS", name.upper())
            .replace(str(SERVICE_PORTS["customers"]), str(SERVICE_PORTS[name]))
        )
        assert dockerfile(name).read_text() == expected, name


@pytest.mark.parametrize("name", COMPONENTS)
def test_what_an_image_copies_is_in_the_build_context(name: str) -> None:
    ignored = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for key, args in instructions(dockerfile(name)):
        if key != "COPY" or args.startswith("--from="):
            continue
        for source in args.split()[:-1]:
            assert (REPO / source).exists(), source
            parts = Path(source).parts
            prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
            hits = [p for p in ignored for prefix in prefixes if fnmatch.fnmatch(prefix, p)]
            assert not hits, f"{source} is excluded by .dockerignore {hits}"
