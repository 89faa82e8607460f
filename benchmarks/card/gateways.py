"""The targets a card is sent to, and the gateways that are not part of the running system.

Hive Gateway is started with the services (`running_system`); Apollo Gateway and Hive
Router are started here on the same supergraph, with the same JWT verification and the
caller's Authorization header passed on to the subgraphs. `direct` has no gateway. Hive
Router runs the production configuration (deploy/router/router.config.yaml) with only
its file paths changed, and the subgraph URLs and listening address set through the
variables production sets.
"""

import base64
import json
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from card.progress import say
from card.supergraph import subgraph_url_variables
from card.system import ROOT, pids_of
from clientcard_devstack import processes
from clientcard_devstack.wholestack import RunningSystem, free_port
from clientcard_kit.settings import DEV_JWT_SECRET

TARGETS = ("hive-gateway", "apollo-gateway", "hive-router", "direct", "direct-sequential")
DIRECT = ("direct", "direct-sequential")
HOST = "127.0.0.1"
GATEWAYS = ROOT / "benchmarks" / "gateways"
APOLLO_DIR = GATEWAYS / "apollo"
HIVE_ROUTER_BINARY = GATEWAYS / "hive-router" / "build" / "bin" / "hive_router"
HIVE_ROUTER_CONFIG = ROOT / "deploy" / "router" / "router.config.yaml"


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    url: str  # where a card query goes (a gateway), or "" for the subgraphs directly
    pids: Callable[[], list[int]]  # the gateway's processes (their CPU is its CPU)


def available_targets(asked: str) -> list[str]:
    """The targets to measure; asked-for gateways that are not installed stop the run."""
    missing = {
        "apollo-gateway": None
        if (APOLLO_DIR / "node_modules" / "@apollo" / "gateway").is_dir()
        else f"install it with `npm ci --prefix {APOLLO_DIR.relative_to(ROOT)}`",
        "hive-router": None
        if HIVE_ROUTER_BINARY.is_file()
        else "build it as benchmarks/gateways/README.md says",
    }
    if asked == "all":
        for name, why in missing.items():
            if why:
                say(f"skipping {name}: {why}")
        return [name for name in TARGETS if not missing.get(name)]
    chosen = [name.strip() for name in asked.split(",") if name.strip()]
    for name in chosen:
        if name not in TARGETS:
            sys.exit(f"unknown target {name!r}; choose among {', '.join(TARGETS)}")
        if missing.get(name):
            sys.exit(f"{name} is not installed: {missing[name]}")
    return chosen


def start_gateways(
    stack: ExitStack,
    system: RunningSystem,
    state: Path,
    supergraph: Path,
    targets: Sequence[str],
    token: str,
) -> dict[str, Target]:
    gateway_pid = state / "run" / "gateway.pid"
    gateways = {
        "hive-gateway": Target("hive-gateway", system.gateway_url, lambda: pids_of(gateway_pid)),
        "direct": Target("direct", "", list),
        "direct-sequential": Target("direct-sequential", "", list),
    }
    if "apollo-gateway" in targets:
        gateways["apollo-gateway"] = start_apollo(stack, state, supergraph, token)
    if "hive-router" in targets:
        subgraph_urls = subgraph_url_variables(system)
        gateways["hive-router"] = start_hive_router(stack, state, supergraph, subgraph_urls, token)
    return gateways


def start_apollo(stack: ExitStack, state: Path, supergraph: Path, token: str) -> Target:
    port = free_port()
    env = {**os.environ, "SUPERGRAPH": str(supergraph), "GATEWAY_PORT": str(port)}
    url = f"http://{HOST}:{port}/"
    return start_process(
        stack, state, "apollo-gateway", ["node", "server.mjs"], APOLLO_DIR, env, url, token
    )


def start_hive_router(
    stack: ExitStack, state: Path, supergraph: Path, subgraph_urls: dict[str, str], token: str
) -> Target:
    folder = state / "hive-router"
    folder.mkdir(parents=True, exist_ok=True)
    write_router_config(folder, supergraph)
    port = free_port()
    address = {"HOST": HOST, "PORT": str(port)}
    env = {
        **os.environ,
        **subgraph_urls,
        "ROUTER_CONFIG_FILE_PATH": str(folder / "router.config.yaml"),
        # What the production configuration reads, and the router's own overrides.
        **{f"GATEWAY_{name}": value for name, value in address.items()},
        **address,
    }
    url = f"http://{HOST}:{port}/graphql"
    return start_process(
        stack, state, "hive-router", [str(HIVE_ROUTER_BINARY)], folder, env, url, token
    )


def write_router_config(folder: Path, supergraph: Path) -> None:
    """The production configuration with this run's supergraph, and the services' HS256
    secret as the key set (as `deploy/router/clientcard-router` writes it)."""
    secret = base64.urlsafe_b64encode(DEV_JWT_SECRET.encode()).rstrip(b"=").decode()
    jwks = {"keys": [{"kty": "oct", "alg": "HS256", "use": "sig", "k": secret}]}
    (folder / "jwks.json").write_text(json.dumps(jwks))
    config = yaml.safe_load(HIVE_ROUTER_CONFIG.read_text())
    config["supergraph"]["path"] = str(supergraph)
    (provider,) = config["jwt"]["jwks_providers"]
    provider["path"] = str(folder / "jwks.json")
    (folder / "router.config.yaml").write_text(
        f"# {HIVE_ROUTER_CONFIG.relative_to(ROOT)} with this run's paths.\n"
        + yaml.safe_dump(config, sort_keys=False)
    )


def start_process(
    stack: ExitStack,
    state: Path,
    name: str,
    argv: list[str],
    cwd: Path,
    env: dict[str, str],
    url: str,
    token: str,
) -> Target:
    """A gateway as a process of its own, stopped when `stack` closes, once it answers."""
    pid_file, log_file = state / "run" / f"{name}.pid", state / "logs" / f"{name}.log"
    process = processes.spawn(argv, log_file=log_file, pid_file=pid_file, env=env, cwd=cwd)
    stack.callback(processes.stop, pid_file)
    processes.wait_ready(
        name,
        lambda: answers_typename(url, token),
        process=process,
        log_file=log_file,
        timeout=60,
    )
    say(f"{name} ready at {url}")
    return Target(name, url, lambda: pids_of(pid_file))


def answers_typename(url: str, token: str) -> str | None:
    """None once the gateway answers a query; else why not yet, for `wait_ready`."""
    try:
        response = httpx.post(
            url,
            json={"query": "{ __typename }"},
            headers={"authorization": f"Bearer {token}"},
            timeout=2.0,
        )
    except httpx.HTTPError as exc:
        return repr(exc)
    return None if response.status_code == 200 else f"HTTP {response.status_code}"
