"""The two stages of a run: register then pay (latency), and many sales at once
(throughput from the first sent to the last stored, applied and counted)."""

import asyncio
import json
import time
from typing import Any

from aiokafka import AIOKafkaProducer

from clientcard_contracts import topics
from till.calls import REGISTER, Calls, sale
from till.servers import System
from till.stored import counts

RESERVING_AT_ONCE = 16  # tills asking for a quote and a reservation at a time
STAGE_NAMES = {
    "stored": "stored by receipts",
    "applied": "applied by bonuses",
    "purchases": "counted by customers",
}


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


async def publish(bootstrap: str, documents: list[dict[str, Any]]) -> float:
    """Sends the sales to `pos.receipts.v1` at once; when the first was sent (epoch)."""
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


async def throughput(system: System, calls: Calls, clients: list[str], receipts: int) -> None:
    """Every other sale reserved over POS HTTP first, then all of them sent over Kafka."""
    documents = await prepared_sales(calls, clients, receipts)
    before = await counts(system)
    started = await publish(system.bootstrap, documents)
    wanted = {
        "stored": before["stored"] + receipts,
        "applied": before["applied"] + receipts,
        "purchases": before["purchases"] + receipts,
    }
    finished = await stages_finished(system, wanted)
    for stage, at in finished.items():
        print(
            f"  {STAGE_NAMES[stage]}: {receipts / (at - started):,.0f} receipts/s"
            " (from the first sent)"
        )


async def prepared_sales(calls: Calls, clients: list[str], receipts: int) -> list[dict[str, Any]]:
    """The sales to send, the odd ones with a reservation quoted and made beforehand."""
    reserving = asyncio.Semaphore(RESERVING_AT_ONCE)

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
        f"  {made} quotes and reservations over POS HTTP, {RESERVING_AT_ONCE} at a time: "
        f"{made / (time.time() - began):,.0f}/s; sending {receipts} sales at once",
        flush=True,
    )
    return documents


async def stages_finished(system: System, wanted: dict[str, int]) -> dict[str, float]:
    """When each count first reached what is wanted of it (epoch), polled every 0.25 s."""
    finished: dict[str, float] = {}
    while len(finished) < len(wanted):
        now = await counts(system)
        for stage, count in wanted.items():
            if stage not in finished and now[stage] >= count:
                finished[stage] = time.time()
        await asyncio.sleep(0.25)
    return finished


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]
