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
import contextlib
import importlib
import json
import statistics
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from support import Stack, free_port, service_process

from clientcard_contracts import topics
from clientcard_kit.auth import issue_dev_token
from clientcard_kit.db import Database, migrations

TENANT = "bench-till"
SERVICES = ("customers", "bonuses", "receipts")
REGISTER = "mutation($p: String!) { registerCustomer(input: {phone: $p}) { id } }"
PROGRAM = (
    'mutation { updateLoyaltyProgram(input: {accrualPercent: "5.00", maxRedeemPercent: "50.00",'
    ' welcomeBonus: "500.00"}) { accrualPercent } }'
)
POS_KEY = 'mutation { createPosApiKey(outletId: "shop-1", posId: "till-1") { secret } }'


@dataclass
class System:
    urls: dict[str, str]
    databases: dict[str, Database]
    bootstrap: str

    async def dispose(self) -> None:
        for database in self.databases.values():
            await database.dispose()


@contextlib.contextmanager
def running_services(stack_of: dict[str, Stack], replicas: int) -> Iterator[dict[str, str]]:
    """`replicas` processes of each service in one consumer group; the URLs of the first."""
    ports = {name: free_port() for name in SERVICES}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    peers = {"customers_url": urls["customers"], "bonuses_url": urls["bonuses"]}
    with contextlib.ExitStack() as running:
        for name in SERVICES:
            group = f"{name}-till-bench-{uuid.uuid4().hex[:6]}"
            for replica in range(replicas):
                port = ports[name] if replica == 0 else free_port()
                running.enter_context(
                    service_process(name, stack_of[name], group, port=str(port), **peers)
                )
        yield urls


async def wait_ready(urls: dict[str, str]) -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        for url in urls.values():
            for _ in range(240):
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"{url}/readyz")).status_code == 200:
                        break
                await asyncio.sleep(0.5)
            else:
                raise SystemExit(f"{url} never became ready")


class Calls:
    """The staff's GraphQL and the till's POS HTTP, as the benchmark makes them."""

    def __init__(self, http: httpx.AsyncClient, urls: dict[str, str]) -> None:
        self.http, self.urls = http, urls
        token = issue_dev_token(tenant=TENANT, role="OWNER", subject=f"owner@{TENANT}")
        self.staff = {"authorization": f"Bearer {token}"}
        self.till: dict[str, str] = {}

    async def graphql(self, service: str, query: str, **variables: Any) -> dict[str, Any]:
        answer = await self.http.post(
            f"{self.urls[service]}/graphql",
            json={"query": query, "variables": variables},
            headers=self.staff,
        )
        body: dict[str, Any] = answer.json()
        if body.get("errors"):
            raise SystemExit(f"{service}: {body['errors']}")
        return dict(body["data"])

    async def pos(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = await self.http.post(
            f"{self.urls['receipts']}/pos/v1{path}", json=body, headers=self.till
        )
        if answer.status_code not in (200, 201):
            raise SystemExit(f"{path}: {answer.status_code} {answer.text}")
        return dict(answer.json())

    async def reserve(self, customer: str, total: str, amount: str) -> str:
        await self.pos("/bonus-quotes", {"customer": {"id": customer}, "total": total})
        held = await self.pos(
            "/bonus-reservations",
            {"customer": {"id": customer}, "total": total, "amount": amount, "ttlSeconds": 3600},
        )
        return str(held["id"])


def sale(number: str, customer: str, reservation: str | None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "tenantId": TENANT,
        "posId": "till-1",
        "outletId": "shop-1",
        "number": number,
        "type": "SALE",
        "purchasedAt": datetime.now(UTC).isoformat(),
        "customer": {"id": customer},
        "items": [{"name": "Кофе", "quantity": "1", "price": "200.00", "amount": "200.00"}],
        "total": "200.00",
        "bonusesSpent": "0.00",
        "paid": "200.00",
    }
    if reservation is not None:
        document |= {"bonusesSpent": "10.00", "paid": "190.00", "bonusReservationId": reservation}
    return document


async def register_then_pay(
    calls: Calls, clients: int, at_once: int
) -> list[tuple[str, str, float]]:
    """(customer, receipt number, registered-at epoch) per client."""
    done: list[tuple[str, str, float]] = []
    gate = asyncio.Semaphore(at_once)

    async def one(n: int) -> None:
        async with gate:
            data = await calls.graphql("customers", REGISTER, p=f"+7917{n:07d}")
            answered = time.time()
            customer = data["registerCustomer"]["id"]
            number = f"FIRST-{n}"
            await calls.pos("/receipts", sale(number, customer, None))
            done.append((customer, number, answered))

    await asyncio.gather(*(one(n) for n in range(clients)))
    return done


async def applied_at(db: Database, numbers: int) -> dict[str, float]:
    """When bonuses applied each receipt, by receipt id, once all `numbers` are applied."""
    while True:
        async with db.transaction(TENANT) as session:
            rows = (
                await session.execute(
                    sa.text(
                        "SELECT receipt_id, extract(epoch FROM applied_at) FROM receipt_bonuses"
                    )
                )
            ).all()
        if len(rows) >= numbers:
            return {str(row[0]): float(row[1]) for row in rows}
        await asyncio.sleep(0.2)


async def welcomed(db: Database, clients: int) -> None:
    while True:
        async with db.transaction(TENANT) as session:
            done = await session.scalar(
                sa.text("SELECT count(*) FROM bonus_accounts WHERE welcomed")
            )
        if done >= clients:
            return
        await asyncio.sleep(0.2)


async def receipt_ids(db: Database) -> dict[str, str]:
    async with db.transaction(TENANT) as session:
        rows = (await session.execute(sa.text("SELECT number, id FROM receipts"))).all()
    return {row[0]: str(row[1]) for row in rows}


async def publish(bootstrap: str, documents: list[dict[str, Any]]) -> float:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    started = time.time()
    try:
        pending = [
            await producer.send(
                topics.POS_RECEIPTS,
                json.dumps(document).encode(),
                key=document["customer"]["id"].encode(),
            )
            for document in documents
        ]
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return started


async def counts(system: System) -> dict[str, int]:
    queries = {
        "bonuses": "SELECT (SELECT count(*) FROM receipt_bonuses) AS applied,"
        " (SELECT count(*) FROM bonus_reservations WHERE status = 'COMMITTED') AS committed,"
        " (SELECT count(*) FROM bonus_reservations) AS reservations",
        "receipts": "SELECT count(*) AS stored, count(DISTINCT number) AS distinct_numbers"
        " FROM receipts",
        "customers": "SELECT coalesce(sum(purchases), 0) AS purchases FROM customers",
    }
    found: dict[str, int] = {}
    for service, query in queries.items():
        async with system.databases[service].transaction(TENANT) as session:
            found |= {
                k: int(v) for k, v in (await session.execute(sa.text(query))).one()._mapping.items()
            }
    return found


async def throughput(system: System, calls: Calls, clients: list[str], receipts: int) -> None:
    reserving = asyncio.Semaphore(16)

    async def prepared(n: int) -> dict[str, Any]:
        customer = clients[n % len(clients)]
        if n % 2:
            async with reserving:
                return sale(f"K-{n}", customer, await calls.reserve(customer, "200.00", "10.00"))
        return sale(f"K-{n}", customer, None)

    began = time.time()
    documents = list(await asyncio.gather(*(prepared(n) for n in range(receipts))))
    made = receipts // 2
    print(
        f"  {made} quotes and reservations over POS HTTP, 16 at a time: "
        f"{made / (time.time() - began):,.0f}/s; sending {receipts} sales at once",
        flush=True,
    )
    before = await counts(system)
    started = await publish(system.bootstrap, documents)
    wanted = {
        "stored": before["stored"] + receipts,
        "applied": before["applied"] + receipts,
        "purchases": before["purchases"] + receipts,
    }
    finished: dict[str, float] = {}
    while len(finished) < len(wanted):
        now = await counts(system)
        for stage, count in wanted.items():
            if stage not in finished and now[stage] >= count:
                finished[stage] = time.time()
        await asyncio.sleep(0.25)
    names = {
        "stored": "stored by receipts",
        "applied": "applied by bonuses",
        "purchases": "counted by customers",
    }
    for stage, at in finished.items():
        print(
            f"  {names[stage]}: {receipts / (at - started):,.0f} receipts/s (from the first sent)"
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


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
    await wait_ready(system.urls)
    async with httpx.AsyncClient(timeout=30) as http:
        calls = Calls(http, system.urls)
        await calls.graphql("bonuses", PROGRAM)
        secret = (await calls.graphql("receipts", POS_KEY))["createPosApiKey"]["secret"]
        calls.till = {"authorization": f"Bearer {secret}"}

        print(f"register then pay: {args.clients} clients, {args.at_once} at a time", flush=True)
        paid = await register_then_pay(calls, args.clients, args.at_once)
        ids = await receipt_ids(system.databases["receipts"])
        applied = await applied_at(system.databases["bonuses"], len(paid))
        waits = [applied[ids[number]] - answered for _, number, answered in paid]
        print(
            f"  registration answered → sale applied: p50 {statistics.median(waits) * 1000:.0f} ms"
            f"  p99 {percentile(waits, 0.99) * 1000:.0f} ms  max {max(waits) * 1000:.0f} ms"
        )
        await welcomed(system.databases["bonuses"], args.clients)
        await throughput(system, calls, [c for c, _, _ in paid], args.receipts)

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


@contextlib.contextmanager
def own_servers() -> Iterator[dict[str, Stack]]:
    from clientcard_devstack import testservers

    with testservers.postgres_server() as postgres, testservers.kafka_server() as kafka:
        kafka.create_topics_sync(list(topics.TOPICS))
        yield {
            name: Stack(postgres.create_database(f"{name}_till_bench"), kafka.bootstrap_servers)
            for name in SERVICES
        }


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


if __name__ == "__main__":
    main()
