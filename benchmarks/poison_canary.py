"""Benchmark of a poison POS message's cost to the messages behind it: the canary's delay.

Starts the receipts service as its own process on servers of its own, then, round after
round, publishes to `pos.receipts.v1` a message that can never be stored (a NUL byte in
an item's name, or an amount beyond what the database holds, alternately) immediately
followed by a good receipt with the same key, so on the same partition: the canary.
It measures how long after it was sent each canary is stored, and does the same with a
good message in the poison's place for comparison; then checks every poison went to
`pos.receipts.dlq.v1` and every canary was stored once.

    CLIENTCARD_TEST_SLOT=2 .venv/bin/python benchmarks/poison_canary.py --rounds 40
"""

import argparse
import asyncio
import json
import statistics
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from receipts_ingest import TENANT, receipt, teach_customers, warm_up
from support import Stack, own_stack, replicas

from clientcard_contracts import topics
from clientcard_kit.db import Database, migrations
from clientcard_receipts.service import SERVICE

CUSTOMERS = 100


def sale(n: int) -> tuple[bytes, dict[str, Any]]:
    """The n-th sale of `receipts_ingest`'s sequence (never one of its returns)."""
    key, body = receipt(n * 10, CUSTOMERS, datetime.now(UTC))
    return key, json.loads(body)


def poisoned(n: int) -> bytes:
    _, document = sale(n)
    document["number"] = f"POISON-{n}"
    if n % 2:
        document["items"][0]["name"] = "Чай\x00"
    else:
        document["items"][0]["amount"] = document["total"] = document["paid"] = "1" + "0" * 15
    return json.dumps(document).encode()


def canary(n: int, label: str) -> tuple[bytes, bytes]:
    key, document = sale(n)
    document["number"] = f"{label}-{n}"
    return key, json.dumps(document).encode()


async def stored_at(db: Database, number: str) -> float:
    while True:
        async with db.transaction(TENANT) as session:
            found = await session.scalar(
                sa.text("SELECT extract(epoch FROM registered_at) FROM receipts WHERE number = :n"),
                {"n": number},
            )
        if found is not None:
            return float(found)
        await asyncio.sleep(0.01)


async def one_round(producer: AIOKafkaProducer, db: Database, n: int, with_poison: bool) -> float:
    key, _ = sale(n)
    label = "CANARY" if with_poison else "CONTROL"
    first = poisoned(n) if with_poison else canary(n + 1_000_000, "LEAD")[1]
    _, good = canary(n, label)
    sent = time.time()
    await producer.send(topics.POS_RECEIPTS, first, key=key)
    await (await producer.send(topics.POS_RECEIPTS, good, key=key))
    return await stored_at(db, f"{label}-{n}") - sent


async def dead_letters(bootstrap: str) -> int:
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await reader.start()
    try:
        partitions = [
            TopicPartition(topics.POS_RECEIPTS_DLQ, p)
            for p in reader.partitions_for_topic(topics.POS_RECEIPTS_DLQ) or {0}
        ]
        ends = await reader.end_offsets(partitions)
        return sum(ends.values())
    finally:
        await reader.stop()


async def run(stack: Stack, rounds: int) -> bool:
    migrations.upgrade(SERVICE.migrations, stack.database_url)
    db = Database(stack.database_url)
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap_servers, acks="all")
    try:
        await teach_customers(db, CUSTOMERS)
        group = f"receipts-canary-{uuid.uuid4().hex[:8]}"
        with replicas("receipts", stack, group, 1):
            await warm_up(db, stack.bootstrap_servers)
            await producer.start()
            before = await dead_letters(stack.bootstrap_servers)
            control = [await one_round(producer, db, n, False) for n in range(rounds)]
            poisoned_rounds = [
                await one_round(producer, db, rounds + n, True) for n in range(rounds)
            ]
            await asyncio.sleep(1.0)
            dead = await dead_letters(stack.bootstrap_servers) - before
    finally:
        await producer.stop()
        await db.dispose()
    for name, delays in (("good message ahead", control), ("poison ahead", poisoned_rounds)):
        print(
            f"  canary behind a {name}: p50 {statistics.median(delays) * 1000:.0f} ms"
            f"  max {max(delays) * 1000:.0f} ms over {len(delays)} rounds"
        )
    print(f"  dead letters: {dead} of {rounds} poison messages")
    return dead == rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    with own_stack("receipts_canary") as stack:
        exact = asyncio.run(run(stack, args.rounds))
    raise SystemExit(0 if exact else 1)


if __name__ == "__main__":
    main()
