"""Benchmark of the till's path end to end: register then pay, half the sales reserved first.

Starts the customers, receipts and bonuses services as their own processes
(`python -m clientcard_<name> serve`, `--replicas` of each in one consumer group, one by
default) on servers of their own, then:

1. Register then pay. N clients, C at a time: each is registered through the customers
   service's GraphQL and, the moment that answers, its first sale goes to the receipts
   service over POS HTTP naming the new id (a client a second old has no bonuses to
   reserve yet: these sales pay in money). Measured per client: from the registration's
   answer to the sale applied by the bonuses service (`receipt_bonuses.applied_at`):
   p50 and p99.
2. Throughput. Once the welcome bonuses are on account, R sales over Kafka for those
   clients, half carrying a reservation quoted and made over POS HTTP beforehand
   (`/pos/v1/bonus-quotes`, `/pos/v1/bonus-reservations`), sent at once. Measured:
   receipts per second from the first sent to the last one both applied by bonuses and
   counted in the customers service's read model.

Then it checks that nothing was lost or doubled: every receipt stored once, applied by
bonuses once, every reservation committed once, and the customers' purchase counts equal
to the sales. Prints the figures; exits 1 if a count is off.

    CLIENTCARD_TEST_SLOT=2 .venv/bin/python benchmarks/till_flow.py --clients 400 --receipts 20000
"""

import argparse
import asyncio
import importlib
import statistics

import httpx
from support import Stack
from till.calls import POS_KEY, PROGRAM, Calls
from till.servers import SERVICES, System, own_servers, running_services, wait_ready
from till.stages import percentile, register_then_pay, throughput
from till.stored import applied_at, counts, receipt_ids, welcomed

from clientcard_kit.db import Database, migrations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--at-once", type=int, default=8, help="tills registering at a time")
    parser.add_argument("--receipts", type=int, default=20_000)
    parser.add_argument("--replicas", type=int, default=1, help="processes of each service")
    args = parser.parse_args()
    with own_servers() as stacks:
        for name, stack in stacks.items():
            service = importlib.import_module(f"clientcard_{name}.service").SERVICE
            migrations.upgrade(service.migrations, stack.database_url)
        with running_services(stacks, args.replicas) as urls:
            exact = asyncio.run(run(stacks, urls, args))
    raise SystemExit(0 if exact else 1)


async def run(stacks: dict[str, Stack], urls: dict[str, str], args: argparse.Namespace) -> bool:
    system = System(
        urls=urls,
        databases={name: Database(stacks[name].database_url) for name in SERVICES},
        bootstrap=stacks["receipts"].bootstrap_servers,
    )
    try:
        return await measure(system, args)
    finally:
        await system.dispose()


async def measure(system: System, args: argparse.Namespace) -> bool:
    """Both stages, then whether every count is exact."""
    await wait_ready(system.urls)
    async with httpx.AsyncClient(timeout=30) as http:
        calls = Calls(http, system.urls)
        await calls.graphql("bonuses", PROGRAM)
        secret = (await calls.graphql("receipts", POS_KEY))["createPosApiKey"]["secret"]
        calls.till = {"authorization": f"Bearer {secret}"}
        clients = await first_sales(system, calls, args)
        await welcomed(system.databases["bonuses"], args.clients)
        await throughput(system, calls, clients, args.receipts)
    return await counts_exact(system, args)


async def first_sales(system: System, calls: Calls, args: argparse.Namespace) -> list[str]:
    """Register then pay, with the latency from registration to the sale applied; the
    customers registered."""
    print(f"register then pay: {args.clients} clients, {args.at_once} at a time", flush=True)
    paid = await register_then_pay(calls, args.clients, args.at_once)
    ids = await receipt_ids(system.databases["receipts"])
    applied = await applied_at(system.databases["bonuses"], len(paid))
    waits = [applied[ids[number]] - answered for _, number, answered in paid]
    print(
        f"  registration answered → sale applied: p50 {statistics.median(waits) * 1000:.0f} ms"
        f"  p99 {percentile(waits, 0.99) * 1000:.0f} ms  max {max(waits) * 1000:.0f} ms"
    )
    return [customer for customer, _, _ in paid]


async def counts_exact(system: System, args: argparse.Namespace) -> bool:
    """Every receipt stored and applied once, every reservation committed once, every sale
    counted among the customers' purchases."""
    found = await counts(system)
    total = args.clients + args.receipts
    exact = (
        found["stored"] == found["distinct_numbers"] == found["applied"] == total
        and found["committed"] == found["reservations"] == args.receipts // 2
        and found["purchases"] == total
    )
    print(f"  counts: {found}")
    print("none lost, none duplicated" if exact else "COUNTS DO NOT MATCH")
    return bool(exact)


if __name__ == "__main__":
    main()
