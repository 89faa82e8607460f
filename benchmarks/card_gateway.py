"""Benchmark of the whole customer card through the gateway, against the subgraphs themselves.

Starts its own PostgreSQL and Kafka (the tests' servers, on the ports of
CLIENTCARD_TEST_SLOT), the four services and Hive Gateway (`running_system`), seeds a salon
through the real paths (`clientcard_devstack.demo`), then gives a handful of its clients a
full card the same way: 20 receipts over the POS HTTP API, 20 manual bonus accruals and
50 messages. Then, for each concurrency, it sends the full card query (every section;
20 receipts, 20 bonus operations, 50 messages) for those clients, target after target:

- `hive-gateway`: the project's gateway, as `gateway/bin/clientcard-gateway` runs it;
- `apollo-gateway`: `@apollo/gateway` with `@apollo/server` (benchmarks/gateways/apollo);
- `hive-router`: The Guild's Rust router (`cargo install hive-router`, see
  benchmarks/gateways/README.md);
- `direct`: no gateway: the requests of the gateway's query plan
  (`card.scenarios.direct_card`), sent straight to the subgraphs in its 2 stages (3 when
  NPS answers name receipts), the requests of a stage at once as a gateway sends them. One
  card is those 4 or 5 requests; its latency runs from the first request's start to the
  last answer. What a gateway adds to that is its overhead;
- `direct-sequential`: the same requests one after another.

Every gateway gets the same supergraph (composed here from each service's `sdl` command),
verifies the caller's JWT and forwards it to the subgraphs, which verify it again. The load
comes from `cardload` (Go, benchmarks/gateways/cardload, built here with `go build`): each
of N workers sends one card after another over keep-alive connections, each time the card of
one of the `--cards` clients drawn at random; a card answered with any error counts as an
error, not as a card. Printed per target and concurrency: cards/s, latency p50/p90/p99,
errors, the requests the subgraphs answered per card (fewer than the plan's when a gateway
merges identical in-flight requests of concurrent cards of the same client), the CPU the
gateway, the services and the load generator used per card (the services' net of what their
background loops use when idle, measured first), and how busy the machine's cores were; then
the gateways' overhead as ratios against `direct`. Before measuring, it counts the requests
each subgraph receives for one card through each gateway (from the services' own metrics),
to show the plan `direct` mirrors.

    CLIENTCARD_TEST_SLOT=6 .venv/bin/python benchmarks/card_gateway.py
    CLIENTCARD_TEST_SLOT=6 .venv/bin/python benchmarks/card_gateway.py \\
        --duration 30 --concurrency 1,8,32 --targets hive-gateway,hive-router,direct \\
        --json /tmp/card-gateway.json
    CLIENTCARD_TEST_SLOT=6 .venv/bin/python benchmarks/card_gateway.py \\
        --targets hive-gateway --concurrency 1,8 --tracing 1    # 1 % of traces exported

Everything it starts runs on this machine, as the project's 2-core machine would run it;
its state folder is `.state/bench/card-gateway-slot<N>/` (logs stay there after a run).
"""

import argparse
import os
import shutil
import time
from contextlib import ExitStack
from pathlib import Path

from card.gateways import TARGETS, available_targets, start_gateways
from card.load import build_loader, count_subgraph_requests, idle_services_cpu, measure
from card.progress import say
from card.report import report
from card.salon import TENANT, prepare_cards
from card.scenarios import check_answers, write_scenarios
from card.supergraph import compose_supergraph, subgraph_url_variables, write_subgraph_sdls
from card.system import ROOT

from clientcard_devstack.otlp import exporting_traces
from clientcard_devstack.testservers import kafka_server, postgres_server
from clientcard_devstack.wholestack import running_system
from clientcard_kit.auth import issue_dev_token


def main() -> None:
    options = parse_arguments()
    state = fresh_state()
    targets = available_targets(options.targets)
    say(f"state and logs: {state.relative_to(ROOT)}")
    loader = build_loader()
    with ExitStack() as stack:
        started = time.monotonic()
        trace_spans(stack, options.tracing)
        postgres = stack.enter_context(postgres_server())
        kafka = stack.enter_context(kafka_server())
        subgraphs = write_subgraph_sdls(state / "subgraphs")
        supergraph = compose_supergraph(subgraphs, state / "supergraph.graphql", {})
        system = stack.enter_context(
            running_system(
                postgres,
                kafka,
                state,
                database_prefix="cardbench",
                environment={"GATEWAY_SUPERGRAPH": str(supergraph)},
            )
        )
        say(f"system up in {time.monotonic() - started:.0f} s")
        token = issue_dev_token(tenant=TENANT, role="OWNER", subject=f"owner@{TENANT}")
        customers = prepare_cards(system, token, options.clients, options.cards)
        routed = compose_supergraph(
            subgraphs, state / "supergraph-routed.graphql", subgraph_url_variables(system)
        )
        gateways = start_gateways(stack, system, state, routed, targets, token)
        scenarios = write_scenarios(state, system, gateways, targets, token, customers)
        check_answers(gateways, token, customers)
        count_subgraph_requests(system, gateways, token, customers[0])
        idle = idle_services_cpu(system)
        results = measure(options, loader, scenarios, gateways, system, idle)
    report(results, options, idle)


def trace_spans(stack: ExitStack, percent: float | None) -> None:
    """With `--tracing P`, every process the run starts exports P % of its traces to a sink
    in this process; they leave with the run."""
    if percent is None:
        return
    endpoint = stack.enter_context(exporting_traces(percent))
    say(f"tracing {percent:g} % of requests to {endpoint}")


def fresh_state() -> Path:
    """The run's own folder for this test slot, emptied: the last run's logs are gone."""
    slot = os.environ.get("CLIENTCARD_TEST_SLOT", "0")
    state = ROOT / ".state" / "bench" / f"card-gateway-slot{slot}"
    shutil.rmtree(state, ignore_errors=True)
    state.mkdir(parents=True)
    return state


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds before")
    parser.add_argument("--concurrency", default="1,8,32", help="comma-separated")
    parser.add_argument(
        "--targets",
        default="all",
        help=f"comma-separated among {', '.join(TARGETS)}; 'all' skips gateways not installed",
    )
    parser.add_argument("--clients", type=int, default=200, help="clients in the seeded salon")
    parser.add_argument(
        "--cards",
        type=int,
        default=64,
        help="clients whose full card is read, drawn at random (many more than the highest "
        "concurrency, so that concurrent cards are rarely of the same client)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument(
        "--tracing",
        type=float,
        metavar="PERCENT",
        help="export this share of traces over OTLP from every process (default: tracing off)",
    )
    options = parser.parse_args()
    options.concurrencies = [int(value) for value in options.concurrency.split(",")]
    return options


if __name__ == "__main__":
    main()
