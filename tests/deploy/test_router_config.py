"""Hive Router's production configuration (deploy/router): what the gateway does for the
system is configured there too, for every subgraph of the supergraph, and the launcher
turns the gateway's settings into what the router reads."""

import base64
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import jwt
import pytest
import yaml

from clientcard_devstack.registry import GATEWAY_PORT
from clientcard_kit.auth import issue_dev_token
from clientcard_kit.settings import DEV_JWT_SECRET, JWT_AUDIENCE

REPO = Path(__file__).resolve().parents[2]
ROUTER = REPO / "deploy" / "router"
LAUNCHER = ROUTER / "clientcard-router"
SECRET_CONFIG = ROUTER / "router.config.yaml"
JWKS_URL_CONFIG = ROUTER / "router.jwks-url.config.yaml"
CONFIGS = (SECRET_CONFIG, JWKS_URL_CONFIG)
SUPERGRAPH = REPO / "gateway" / "supergraph.graphql"
GATEWAY_SETTINGS = (REPO / "gateway" / "lib" / "settings.mjs").read_text()
GATEWAY_K8S = (REPO / "deploy" / "k8s" / "base" / "gateway" / "kustomization.yaml").read_text()
JOIN_GRAPH = re.compile(r'@join__graph\(name: "(?P<name>[^"]+)", url: "(?P<url>[^"]+)"\)')

Config = dict[str, Any]


def load(path: Path) -> Config:
    config: Config = yaml.safe_load(path.read_text())
    return config


def from_env(value: Any) -> tuple[str, Any]:
    """(variable, default) of a `{ from_env: NAME, default: value }` setting."""
    assert isinstance(value, dict), value
    assert set(value) <= {"from_env", "default"}, value
    return value["from_env"], value.get("default")


def supergraph_subgraphs() -> dict[str, str]:
    return {m["name"]: m["url"] for m in JOIN_GRAPH.finditer(SUPERGRAPH.read_text())}


def gateway_default(variable: str) -> int:
    """The gateway's default for a setting: `integer(env, 'NAME', 10_000)` or `1024 * 1024`."""
    found = re.search(rf"'{variable}', ([\d_ *]+)\)", GATEWAY_SETTINGS)
    assert found, variable
    value = 1
    for factor in found.group(1).split("*"):
        value *= int(factor.strip().replace("_", ""))
    return value


@pytest.mark.parametrize("path", CONFIGS, ids=lambda path: path.name)
def test_the_router_serves_the_supergraph_the_image_copies(path: Path) -> None:
    dockerfile = (REPO / "deploy" / "docker" / "router.Dockerfile").read_text()
    config = load(path)
    assert config["supergraph"]["source"] == "file"
    copied = f"COPY {SUPERGRAPH.relative_to(REPO)} {config['supergraph']['path']}\n"
    assert copied in dockerfile


@pytest.mark.parametrize("path", CONFIGS, ids=lambda path: path.name)
def test_every_subgraph_is_reached_where_the_gateway_would_reach_it(path: Path) -> None:
    """Each subgraph's URL comes from the variable the gateway reads, the Kubernetes
    ConfigMap sets it, and unset it is the supergraph's own URL, as for the gateway."""
    overrides = load(path)["override_subgraph_urls"]["subgraphs"]
    subgraphs = supergraph_subgraphs()
    assert subgraphs, "no subgraph found in the supergraph"
    assert set(overrides) == set(subgraphs)
    for name, url in subgraphs.items():
        variable, default = from_env(overrides[name]["url"])
        assert variable == f"{name.upper()}_URL"
        assert default == url
        assert f"env.{variable}" in GATEWAY_SETTINGS
        assert f"- {variable}=" in GATEWAY_K8S


@pytest.mark.parametrize("path", CONFIGS, ids=lambda path: path.name)
def test_the_router_listens_logs_and_limits_as_the_gateway(path: Path) -> None:
    config = load(path)
    assert from_env(config["http"]["host"]) == ("GATEWAY_HOST", "0.0.0.0")
    assert from_env(config["http"]["port"]) == ("GATEWAY_PORT", GATEWAY_PORT)
    assert from_env(config["log"]["level"]) == ("GATEWAY_LOG_LEVEL", "info")
    assert config["laboratory"] == {"enabled": False}
    limits = config["limits"]
    assert limits["max_depth"]["n"] == gateway_default("GATEWAY_MAX_DEPTH")
    assert limits["max_tokens"]["n"] == gateway_default("GATEWAY_MAX_TOKENS")
    body_bytes = gateway_default("GATEWAY_MAX_BODY_BYTES")
    assert body_bytes % 2**20 == 0
    assert limits["max_request_body_size"] == f"{body_bytes // 2**20}MiB"
    timeout_ms = gateway_default("GATEWAY_UPSTREAM_TIMEOUT_MS")
    assert config["traffic_shaping"]["all"]["request_timeout"] == f"{timeout_ms // 1000}s"


@pytest.mark.parametrize("path", CONFIGS, ids=lambda path: path.name)
def test_every_operation_needs_a_token_for_clientcard_passed_on_to_the_subgraphs(
    path: Path,
) -> None:
    config = load(path)
    auth = config["jwt"]
    assert auth["enabled"] is True
    assert auth["require_authentication"] is True
    assert auth["audiences"] == [JWT_AUDIENCE]
    assert {"propagate": {"named": "Authorization"}} in config["headers"]["all"]["request"]


def test_the_shared_secret_and_the_key_set_are_never_mixed() -> None:
    secret, key_set = load(SECRET_CONFIG)["jwt"], load(JWKS_URL_CONFIG)["jwt"]
    assert secret["allowed_algorithms"] == ["HS256"]
    assert secret["jwks_providers"] == [{"source": "file", "path": default_jwks_file()}]
    assert key_set["allowed_algorithms"] == ["RS256"]
    assert key_set["jwks_providers"] == [
        {"source": "remote", "url": {"from_env": "GATEWAY_JWKS_URL"}}
    ]


def test_the_two_configurations_differ_only_in_how_tokens_are_verified() -> None:
    secret, key_set = load(SECRET_CONFIG), load(JWKS_URL_CONFIG)
    secret.pop("jwt")
    key_set.pop("jwt")
    assert secret == key_set


def default_jwks_file() -> str:
    found = re.search(
        r'jwks_file="\$\{CLIENTCARD_ROUTER_JWKS_FILE:-([^}]+)\}"', LAUNCHER.read_text()
    )
    assert found
    return found.group(1)


def launch(tmp_path: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The launcher, with a `hive_router` on its PATH that reports what it was given:
    the router itself is not installed here (its build takes tens of minutes)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    router = bin_dir / "hive_router"
    router.write_text('#!/bin/sh\necho "$ROUTER_CONFIG_FILE_PATH"\n')
    router.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "CLIENTCARD_ROUTER_CONFIG_DIR": str(ROUTER),
        "CLIENTCARD_ROUTER_JWKS_FILE": str(tmp_path / "state" / "jwks.json"),
        **environment,
    }
    return subprocess.run(
        [str(LAUNCHER)], env=env, capture_output=True, text=True, timeout=10, check=False
    )


def test_the_launcher_verifies_with_the_shared_secret_as_a_key_set(tmp_path: Path) -> None:
    secret = "a-production-secret-of-enough-length-0123456789"
    result = launch(tmp_path, {"GATEWAY_JWT_SECRET": secret})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(SECRET_CONFIG)
    jwks_file = tmp_path / "state" / "jwks.json"
    assert jwks_file.stat().st_mode & 0o077 == 0, "only the router's user reads the key"
    (key,) = json.loads(jwks_file.read_text())["keys"]
    assert (key["kty"], key["alg"]) == ("oct", "HS256")
    assert base64.urlsafe_b64decode(key["k"] + "=" * (-len(key["k"]) % 4)) == secret.encode()
    # A token signed with that secret, as the services issue them, verifies with the key.
    token = issue_dev_token(tenant="t1", role="OWNER", secret=secret)
    claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=["HS256"], audience=JWT_AUDIENCE)
    assert claims["aud"] == JWT_AUDIENCE


def test_the_launcher_prefers_the_identity_providers_key_set(tmp_path: Path) -> None:
    result = launch(
        tmp_path,
        {"GATEWAY_JWKS_URL": "https://id.example/keys", "GATEWAY_JWT_SECRET": "unused-here"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(JWKS_URL_CONFIG)
    assert not (tmp_path / "state").exists(), "no secret written when it is not used"


@pytest.mark.parametrize(
    "environment",
    [{}, {"GATEWAY_JWT_SECRET": DEV_JWT_SECRET}],
    ids=["no-key", "development-secret"],
)
def test_the_launcher_refuses_to_start_a_router_that_would_verify_nothing(
    tmp_path: Path, environment: dict[str, str]
) -> None:
    result = launch(tmp_path, environment)
    assert result.returncode == 1
    assert "GATEWAY_JWT_SECRET" in result.stderr
    assert result.stdout == "", "the router was not started"


def test_the_development_secret_is_accepted_in_a_development_cluster(tmp_path: Path) -> None:
    result = launch(
        tmp_path, {"GATEWAY_JWT_SECRET": DEV_JWT_SECRET, "GATEWAY_ENVIRONMENT": "development"}
    )
    assert result.returncode == 0, result.stderr
