"""The report on stdout: one table of every run, the services' CPU by service, and the
gateways' overhead against `direct`; with --json, the same results as a file."""

import argparse
import json
import os
from collections.abc import Mapping, Sequence

from card.gateways import DIRECT
from card.load import Measurement
from clientcard_contracts.topics import SERVICES


def per_card(amount: float, result: Measurement) -> float:
    # CPU and requests are counted over the whole run: divided by the whole run's cards.
    cards = result.loader["cards_with_warmup"]
    return amount / cards if cards else float("nan")


def per_card_ms(seconds: float, result: Measurement) -> float:
    return 1000 * per_card(seconds, result)


def report(
    results: Sequence[Measurement], options: argparse.Namespace, idle: Mapping[str, float]
) -> None:
    print(
        f"\nFull card (20 receipts, 20 bonus operations, 50 messages), {options.cards} clients, "
        f"{options.duration:.0f} s per run after {options.warmup:.0f} s of warm-up; "
        f"{os.cpu_count()} cores; the idle services used {sum(idle.values()):.2f} cores "
        "(left out below).\n"
    )
    print(
        "| target | concurrency | cards/s | p50 ms | p90 ms | p99 ms | errors "
        "| subgraph requests/card | gateway CPU ms/card | services CPU ms/card "
        "| load generator CPU ms/card | machine busy |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        loader, latency = result.loader, result.loader["latency_ms"]
        generator = loader["loader_cpu_seconds"]
        print(
            f"| {result.target} | {result.concurrency} | {loader['cards_per_second']:.0f} "
            f"| {latency['p50']:.1f} | {latency['p90']:.1f} | {latency['p99']:.1f} "
            f"| {loader['errors']} "
            f"| {per_card(result.subgraph_requests, result):.2f} "
            f"| {per_card_ms(result.gateway_cpu, result):.2f} "
            f"| {per_card_ms(sum(result.services_cpu.values()), result):.2f} "
            f"| {per_card_ms(generator, result):.2f} "
            f"| {100 * result.busy_share:.0f} % |"
        )
    print_services(results)
    print_overheads(results)
    if options.json:
        write_json(results, options, idle)


def print_services(results: Sequence[Measurement]) -> None:
    print("\nThe services' CPU per card (ms), net of their idle use.\n")
    print(f"| target | concurrency | {' | '.join(SERVICES)} |")
    print(f"|---|---:|{'---:|' * len(SERVICES)}")
    for result in results:
        cells = " | ".join(
            f"{per_card_ms(result.services_cpu[service], result):.2f}" for service in SERVICES
        )
        print(f"| {result.target} | {result.concurrency} | {cells} |")


def print_overheads(results: Sequence[Measurement]) -> None:
    """Each gateway against the subgraphs reached directly, at the same concurrency."""
    direct = {result.concurrency: result.loader for result in results if result.target == "direct"}
    if not direct:
        return
    print(
        "\nThe gateways' overhead: throughput as a share of `direct` "
        "and p50/p99 as multiples of `direct`'s.\n"
    )
    print("| target | concurrency | throughput | p50 | p99 |")
    print("|---|---:|---:|---:|---:|")
    for result in results:
        base = direct.get(result.concurrency)
        if result.target in DIRECT or not base or not base["cards"] or not result.loader["cards"]:
            continue
        ours = result.loader
        print(
            f"| {result.target} | {result.concurrency} "
            f"| {ours['cards_per_second'] / base['cards_per_second']:.2f} "
            f"| {ours['latency_ms']['p50'] / base['latency_ms']['p50']:.2f} "
            f"| {ours['latency_ms']['p99'] / base['latency_ms']['p99']:.2f} |"
        )


def write_json(
    results: Sequence[Measurement], options: argparse.Namespace, idle: Mapping[str, float]
) -> None:
    """The run's options and every measurement as measured, to the --json file."""
    options.json.write_text(
        json.dumps(
            {
                "duration": options.duration,
                "warmup": options.warmup,
                "cards": options.cards,
                "clients": options.clients,
                "cores": os.cpu_count(),
                "idle_services_cores": idle,
                "results": [
                    {
                        "target": result.target,
                        "concurrency": result.concurrency,
                        "loader": result.loader,
                        "seconds": result.seconds,
                        "gateway_cpu_seconds": result.gateway_cpu,
                        "services_cpu_seconds": result.services_cpu,
                        "machine_busy_share": result.busy_share,
                        "subgraph_requests": result.subgraph_requests,
                    }
                    for result in results
                ],
            },
            indent=2,
        )
    )
