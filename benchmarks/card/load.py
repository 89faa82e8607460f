"""The load: `cardload` (Go, benchmarks/gateways/cardload) run once per target and
concurrency, with the CPU each part of the system spent and the requests the subgraphs
answered meanwhile."""

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from card.cpu import busy_share, cpu_seconds, cpu_times
from card.gateways import GATEWAYS, Target
from card.progress import say
from card.queries import CARD
from card.scenarios import direct_card, post, request
from card.system import base_url, service_pids
from clientcard_contracts.topics import SERVICES
from clientcard_devstack.wholestack import RunningSystem

LOADER_DIR = GATEWAYS / "cardload"
LOADER_BINARY = LOADER_DIR / "build" / "cardload"
IDLE_SECONDS = 5.0
GATEWAY = "gateway"


@dataclass(frozen=True, slots=True)
class Measurement:
    target: str
    concurrency: int
    loader: dict[str, Any]
    seconds: float  # the loader's whole run, warm-up included
    gateway_cpu: float  # CPU seconds over the whole run
    services_cpu: dict[str, float]  # CPU seconds per service, net of its idle use
    busy_share: float  # of all cores, over the whole run
    subgraph_requests: float  # answered by the services over the whole run


def build_loader() -> Path:
    if shutil.which("go") is None:
        sys.exit("the load generator needs Go (`go` on the PATH) to be built")
    subprocess.run(
        ["go", "build", "-o", str(LOADER_BINARY), "."],
        cwd=LOADER_DIR,
        check=True,
    )
    return LOADER_BINARY


def count_subgraph_requests(
    system: RunningSystem, gateways: Mapping[str, Target], token: str, customer: str
) -> None:
    """Prints how many requests each subgraph gets for one card through each gateway."""
    for name, target in gateways.items():
        if not target.url:
            continue
        before = posts_answered(system)
        post(request(target.url, CARD, id=customer), token)
        after = posts_answered(system)
        counts = ", ".join(f"{service} {after[service] - before[service]:.0f}" for service in after)
        say(f"{name} sends for one card: {counts}")
    planned = direct_card(system, token, customer)["stages"]
    by_url = {url: service for service, url in system.service_urls.items()}
    sent = [by_url[item["url"]] for stage in planned for item in stage]
    counts = ", ".join(f"{service} {sent.count(service)}" for service in SERVICES)
    say(f"direct sends for one card: {counts} (in {len(planned)} stages)")


def posts_answered(system: RunningSystem) -> dict[str, float]:
    """POST requests each service has answered, from its Prometheus metrics."""
    counts = {}
    for service in SERVICES:
        text = httpx.get(f"{base_url(system, service)}/metrics", timeout=10.0).text
        counts[service] = sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("clientcard_http_requests_total{") and 'method="POST"' in line
        )
    return counts


def idle_services_cpu(system: RunningSystem) -> dict[str, float]:
    """Cores each service uses with no request (outbox relay, consumers, jobs polling)."""
    groups = service_pids(system)
    before = cpu_seconds(groups)
    time.sleep(IDLE_SECONDS)
    after = cpu_seconds(groups)
    idle = {name: (after[name] - before[name]) / IDLE_SECONDS for name in groups}
    say(f"idle services use {sum(idle.values()):.3f} cores")
    return idle


def measure(
    options: argparse.Namespace,
    loader: Path,
    scenarios: Mapping[str, Path],
    gateways: Mapping[str, Target],
    system: RunningSystem,
    idle: Mapping[str, float],
) -> list[Measurement]:
    """Every target at every concurrency, concurrency after concurrency."""
    results = []
    for concurrency in options.concurrencies:
        for name, scenario in scenarios.items():
            result = measure_once(
                options, loader, scenario, name, concurrency, gateways[name], system, idle
            )
            results.append(result)
            say(summary_line(result))
    return results


def measure_once(
    options: argparse.Namespace,
    loader: Path,
    scenario: Path,
    name: str,
    concurrency: int,
    gateway: Target,
    system: RunningSystem,
    idle: Mapping[str, float],
) -> Measurement:
    """One run of the load generator, and what the gateway and the services spent on it."""
    groups = {GATEWAY: gateway.pids(), **service_pids(system)}
    cpu_before, machine_before = cpu_seconds(groups), cpu_times()
    requests_before = posts_answered(system)
    started = time.monotonic()
    outcome = subprocess.run(
        [
            str(loader),
            *("-scenario", str(scenario)),
            f"-concurrency={concurrency}",
            f"-duration={options.duration}s",
            f"-warmup={options.warmup}s",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    cpu_after, machine_after = cpu_seconds(groups), cpu_times()
    requests = sum(posts_answered(system).values()) - sum(requests_before.values())
    used = {group: cpu_after[group] - cpu_before[group] for group in groups}
    return Measurement(
        target=name,
        concurrency=concurrency,
        loader=json.loads(outcome.stdout),
        seconds=seconds,
        gateway_cpu=used.pop(GATEWAY),
        # Less what the services' background loops would have used anyway.
        services_cpu={
            service: max(spent - idle[service] * seconds, 0.0) for service, spent in used.items()
        },
        busy_share=busy_share(machine_before, machine_after),
        subgraph_requests=requests,
    )


def summary_line(result: Measurement) -> str:
    """A run in one line, said as soon as it is measured."""
    loader = result.loader
    latency = loader["latency_ms"]
    line = (
        f"{result.target} c={result.concurrency}: {loader['cards_per_second']:.0f} cards/s, "
        f"p50 {latency['p50']:.1f} ms, p99 {latency['p99']:.1f} ms, errors {loader['errors']}"
    )
    if loader.get("first_error"):
        line += f" (first: {loader['first_error'][:300]})"
    return line
