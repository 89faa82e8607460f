"""Benchmark of the bonuses service applying `receipt.registered` events from Kafka.

Starts the bonuses service as its own process (`python -m clientcard_bonuses serve`, its
consumer, outbox relay and expiry job on), then publishes N `receipt.registered` events to
`receipts.v1` as the receipts service does (CloudEvents in binary mode, keyed by customer):
sales, one in five of them paying part of the receipt with bonuses (some refused, over the
balance), and one receipt in ten a partial return of the customer's sale just before it.
It waits until every receipt is applied, checks the ledger of every account and prints:

- receipts applied per second and ledger operations written per second, from the first
  receipt applied to the last;
- lag p50/p99 from the moment an event was sent to the moment its receipt was applied;
- the ledger checks: every receipt applied exactly once, one `receipt.bonuses.applied`
  event each, and for every account balance = accrued - spent - expired = the sum of its
  ledger = the sum of its open lots >= 0.

    # servers of its own (test slot ports and folder), nothing else touched:
    CLIENTCARD_TEST_SLOT=3 .venv/bin/python benchmarks/bonuses_receipts.py --receipts 100000
    # or the stack of `make up` (PostgreSQL 54329, Kafka 19092):
    .venv/bin/python benchmarks/bonuses_receipts.py --stack dev
"""

import argparse
import asyncio
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from support import Stack, dev_stack, own_stack, replicas

from clientcard_bonuses.service import SERVICE
from clientcard_contracts import topics
from clientcard_contracts.events.bonuses import ReceiptBonusesApplied
from clientcard_contracts.events.receipts import ReceiptRegistered
from clientcard_kit.db import Database, migrations
from clientcard_kit.events import cloudevents

TENANT = "bench-shop"
RETURN_EVERY = 10
REDEEM_EVERY = 5
SALE_TOTAL = "600.00"
REDEEMED = "25.00"
RETURNED = "100.00"
RETURNED_SHARE = "0.166667"


@dataclass
class Receipts:
    """The events to send: customer ids, and each receipt's id as it is sent."""

    customers: list[uuid.UUID]
    receipt_ids: list[uuid.UUID]
    sent_at: dict[uuid.UUID, float]

    @classmethod
    def of(cls, count: int, customers: int) -> "Receipts":
        return cls(
            customers=[uuid.uuid4() for _ in range(customers)],
            receipt_ids=[uuid.uuid4() for _ in range(count)],
            sent_at={},
        )

    def event(self, n: int, now: datetime) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
        """The n-th event (key, body, headers): a sale, or every tenth a partial return."""
        is_return = n % RETURN_EVERY == RETURN_EVERY - 1
        # A return belongs to the sale just before it, so both go to one partition in order.
        customer = self.customers[(n - 1 if is_return else n) % len(self.customers)]
        total = RETURNED if is_return else SALE_TOTAL
        spent = REDEEMED if n % REDEEM_EVERY == 2 else "0.00"
        data: dict[str, Any] = {
            "tenantId": TENANT,
            "customerId": str(customer),
            "occurredAt": now.isoformat(),
            "receiptId": str(self.receipt_ids[n]),
            "type": "RETURN" if is_return else "SALE",
            "posId": f"pos-{n % 20}",
            "outletId": f"shop-{n % 4}",
            "number": f"R-{n}",
            "purchasedAt": now.isoformat(),
            "items": [{"name": "Товар", "quantity": "1.000", "price": total, "amount": total}],
            "total": total,
            "paid": f"{float(total) - float(spent):.2f}",
            "bonusesSpent": spent,
            "purchaseStats": {
                "version": n + 1,
                "purchases": 1,
                "returns": 0,
                "revenue": total,
                "averageCheck": total,
            },
        }
        if is_return:
            data["originalReceiptId"] = str(self.receipt_ids[n - 1])
            data["returnedShare"] = data["returnedShareSoFar"] = RETURNED_SHARE
        event = cloudevents.CloudEvent(
            id=str(uuid.uuid4()),
            source="/clientcard/receipts",
            type=ReceiptRegistered.TYPE,
            tenant_id=TENANT,
            time=now,
            data=data,
            subject=data["receiptId"],
        )
        headers, body = cloudevents.encode(event)
        return str(customer).encode(), body, headers


def check_shape(receipts: Receipts) -> None:
    """The events are what the contract says `receipt.registered` is."""
    for n in (0, 2, RETURN_EVERY - 1):
        _, body, _ = receipts.event(n, datetime.now(UTC))
        ReceiptRegistered.model_validate_json(body)


async def publish(bootstrap: str, receipts: Receipts, rate: float | None) -> float:
    """Send every receipt, paced to `rate` per second when given; returns seconds taken."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_batch_size=262144
    )
    await producer.start()
    started = time.perf_counter()
    try:
        pending = []
        for n in range(len(receipts.receipt_ids)):
            if rate:
                ahead = started + n / rate - time.perf_counter()
                if ahead > 0:
                    await asyncio.sleep(ahead)
            key, body, headers = receipts.event(n, datetime.now(UTC))
            receipts.sent_at[receipts.receipt_ids[n]] = time.time()
            pending.append(await producer.send(topics.RECEIPTS, body, key=key, headers=headers))
            if len(pending) >= 5000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return time.perf_counter() - started


APPLIED = sa.text("SELECT count(*) FROM receipt_bonuses")
APPLIED_AT = sa.text("SELECT receipt_id, extract(epoch FROM applied_at) FROM receipt_bonuses")
FIGURES = sa.text(
    """
    SELECT (SELECT count(*) FROM receipt_bonuses) AS receipts,
      (SELECT count(DISTINCT receipt_id) FROM receipt_bonuses) AS distinct_receipts,
      (SELECT count(*) FROM receipt_bonuses WHERE rejection IS NOT NULL) AS rejected,
      (SELECT count(*) FROM receipt_bonuses WHERE spent > 0) AS redeemed,
      (SELECT count(*) FROM receipt_bonuses WHERE type = 'RETURN') AS returns,
      (SELECT count(*) FROM bonus_operations) AS operations,
      (SELECT extract(epoch FROM max(applied_at) - min(applied_at)) FROM receipt_bonuses)
        AS seconds
    """
)
APPLIED_EVENTS = sa.text(
    "SELECT count(*), count(DISTINCT data->>'receiptId') FROM outbox WHERE event_type = :type"
)
LEDGER = sa.text(
    """
    SELECT count(*) AS accounts, count(*) FILTER (WHERE NOT (
        a.balance >= 0 AND a.balance = a.accrued - a.spent - a.expired
        AND a.balance = coalesce(o.by_ledger, 0) AND a.balance = coalesce(l.by_lots, 0)
        AND a.version = coalesce(o.operations, 0))) AS wrong
    FROM bonus_accounts a
    LEFT JOIN (SELECT customer_id, count(*) AS operations,
        sum(CASE WHEN type = 'ACCRUAL' THEN amount ELSE -amount END) AS by_ledger
      FROM bonus_operations GROUP BY customer_id) o ON o.customer_id = a.customer_id
    LEFT JOIN (SELECT customer_id, sum(remaining) AS by_lots FROM bonus_lots
      GROUP BY customer_id) l ON l.customer_id = a.customer_id
    """
)


async def wait_for(db: Database, count: int, deadline: float) -> None:
    last = -1
    while time.monotonic() < deadline:
        async with db.transaction(TENANT) as session:
            applied = int(await session.scalar(APPLIED) or 0)
        if applied != last:
            print(f"  applied {applied:>7}", flush=True)
            last = applied
        if applied >= count:
            return
        await asyncio.sleep(1.0)
    raise SystemExit(f"gave up waiting: {last} of {count} receipts applied")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def report(db: Database, receipts: Receipts, published_in: float) -> bool:
    count = len(receipts.receipt_ids)
    async with db.transaction(TENANT) as session:
        figures = (await session.execute(FIGURES)).one()
        rows = await session.execute(APPLIED_AT)
        applied_at: dict[uuid.UUID, Any] = {row[0]: row[1] for row in rows}
        events, distinct_events = (
            await session.execute(APPLIED_EVENTS, {"type": ReceiptBonusesApplied.TYPE})
        ).one()
        ledger = (await session.execute(LEDGER)).one()
    lags = [float(applied_at[key]) - sent for key, sent in receipts.sent_at.items()]
    window = float(figures.seconds or 0) or 1e-9
    print(f"published {count} receipt.registered events to Kafka in {published_in:.1f} s")
    print(
        f"applied:    {figures.receipts} receipts ({figures.distinct_receipts} distinct; "
        f"{figures.returns} returns, {figures.redeemed} paid with bonuses, "
        f"{figures.rejected} redemptions refused)"
    )
    print(f"receipts:   {figures.receipts / window:,.0f} receipts/s over {window:.1f} s")
    print(f"operations: {figures.operations / window:,.0f} ledger operations/s")
    print(
        f"lag sent -> applied: p50 {percentile(lags, 0.5) * 1000:.0f} ms  "
        f"p99 {percentile(lags, 0.99) * 1000:.0f} ms"
    )
    print(f"events:     {events} receipt.bonuses.applied ({distinct_events} distinct)")
    print(f"ledger:     {ledger.accounts} accounts, {ledger.wrong} disagree with their ledger")
    exact = (
        figures.receipts == figures.distinct_receipts == count
        and events == distinct_events == count
        and ledger.wrong == 0
    )
    print("ledger checks passed" if exact else "LEDGER CHECKS FAILED")
    return bool(exact)


async def run(stack: Stack, args: argparse.Namespace) -> bool:
    migrations.upgrade(SERVICE.migrations, stack.database_url)
    receipts = Receipts.of(args.receipts, args.customers)
    check_shape(receipts)
    db = Database(stack.database_url)
    try:
        group = f"bonuses-bench-{uuid.uuid4().hex[:8]}"
        with replicas("bonuses", stack, group, args.replicas):
            published_in = await publish(stack.bootstrap_servers, receipts, args.rate)
            await wait_for(db, args.receipts, time.monotonic() + args.timeout)
        return await report(db, receipts, published_in)
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--receipts", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--replicas", type=int, default=1, help="service processes")
    parser.add_argument("--rate", type=float, default=None, help="receipts/s to send at")
    parser.add_argument("--stack", choices=("own", "dev"), default="own")
    parser.add_argument("--database", default="bonuses_bench")
    parser.add_argument("--timeout", type=float, default=1800.0)
    args = parser.parse_args()
    stack = own_stack if args.stack == "own" else dev_stack
    with stack(args.database) as servers:
        exact = asyncio.run(run(servers, args))
    raise SystemExit(0 if exact else 1)


if __name__ == "__main__":
    main()
