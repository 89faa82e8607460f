"""The counts after a fault, read from each service's own tables and the dead letters.

For every kind of request: how many the system confirmed (sent), how many it holds
(stored), how many it holds more than once (duplicated) and how many it never got
(lost). Then whether each read model equals its source, and how many messages of the
merchant's went to a dead-letter topic.
"""

import asyncio
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import psycopg
from aiokafka import AIOKafkaConsumer

from clientcard_contracts.topics import TOPICS
from clientcard_devstack.chaos.cluster import Cluster
from clientcard_devstack.chaos.workload import Merchant
from clientcard_kit.events.cloudevents import TENANT_HEADER


@dataclass(slots=True)
class Count:
    sent: int
    stored: int
    duplicated: int
    lost: int
    missing: list[str]  # a few of the lost ones, to look for in the logs

    @classmethod
    def of(cls, sent: set[str], stored: Counter[str]) -> "Count":
        """`stored` counts how many times the system holds each thing it was sent."""
        return cls(
            sent=len(sent),
            stored=sum(1 for key in sent if stored[key]),
            duplicated=sum(times - 1 for times in stored.values() if times > 1),
            lost=sum(1 for key in sent if not stored[key]),
            missing=sorted(key for key in sent if not stored[key])[:5],
        )


@dataclass(slots=True)
class Tally:
    counts: dict[str, Count]
    mailing_finished: bool
    # Each read model's rows that differ from the source they are kept from.
    read_models: dict[str, int]
    dead_letters: int = 0
    unconfirmed: list[str] = field(default_factory=list)

    @property
    def caught_up(self) -> bool:
        """Everything sent is stored and every read model agrees: nothing left to wait for."""
        return (
            self.mailing_finished
            and all(count.lost == 0 for count in self.counts.values())
            and not any(self.read_models.values())
        )

    @property
    def whole(self) -> bool:
        """Caught up, with nothing twice, nothing dead-lettered, nothing unconfirmed."""
        return (
            self.caught_up
            and all(count.duplicated == 0 for count in self.counts.values())
            and self.dead_letters == 0
            and not self.unconfirmed
        )

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "caught_up": self.caught_up, "whole": self.whole}


def _rows(conninfo: str, query: str, *values: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(conninfo) as connection:
        return list(connection.execute(query, values).fetchall())


def segment_known_to_messaging(cluster: Cluster, merchant: Merchant) -> bool:
    """Whether messaging has learnt every member of the merchant's segment (from
    customers.v1), so that a mailing to it reaches them all (blocking)."""
    known = _rows(
        cluster.database("messaging"),
        "SELECT count(*) FROM segment_members WHERE segment_id = %s",
        merchant.segment_id,
    )
    return bool(known[0][0] == len(merchant.members))


def count_effects(cluster: Cluster, merchant: Merchant) -> Tally:
    """What the services hold for the merchant (blocking: run it in a thread)."""
    tenant = merchant.tenant
    receipts_db, bonuses_db = cluster.database("receipts"), cluster.database("bonuses")
    customers_db, messaging_db = cluster.database("customers"), cluster.database("messaging")
    receipts = _rows(
        receipts_db,
        "SELECT number, id::text, customer_id::text FROM receipts WHERE tenant_id = %s",
        tenant,
    )
    receipt_ids = {receipt_id for _, receipt_id, _ in receipts}
    purchase_accruals = _rows(
        bonuses_db,
        "SELECT receipt_id::text FROM bonus_operations WHERE tenant_id = %s"
        " AND event = 'PURCHASE' AND type = 'ACCRUAL'",
        tenant,
    )
    manual = _rows(
        bonuses_db,
        "SELECT comment FROM bonus_operations WHERE tenant_id = %s AND event = 'MANUAL'",
        tenant,
    )
    phones = _rows(customers_db, "SELECT phone FROM customers WHERE tenant_id = %s", tenant)
    mailed = _rows(
        messaging_db,
        "SELECT m.customer_id::text FROM messages m JOIN sandbox_sent s ON s.message_id = m.id"
        " WHERE m.tenant_id = %s AND m.broadcast_id = %s",
        tenant,
        merchant.broadcast_id,
    )
    finished = _rows(
        messaging_db, "SELECT status FROM broadcasts WHERE id = %s", merchant.broadcast_id
    )
    return Tally(
        counts={
            "receipts": Count.of(merchant.receipts, Counter(number for number, _, _ in receipts)),
            "accruals": Count.of(receipt_ids, Counter(row[0] for row in purchase_accruals)),
            "registrations": Count.of(
                merchant.registered | {phone for _, phone in merchant.members},
                Counter(row[0] for row in phones),
            ),
            "manual operations": Count.of(merchant.accruals, Counter(row[0] for row in manual)),
            "mailing": Count.of(
                {customer for customer, _ in merchant.members}, Counter(row[0] for row in mailed)
            ),
        },
        mailing_finished=bool(finished) and finished[0][0] == "SENT",
        read_models=read_model_differences(cluster, tenant, receipts),
        unconfirmed=list(merchant.unconfirmed),
    )


def read_model_differences(
    cluster: Cluster, tenant: str, receipts: list[tuple[Any, ...]]
) -> dict[str, int]:
    """Rows of each read model that disagree with their source, by read model."""
    purchases = Counter(customer for _, _, customer in receipts if customer)
    figures = _rows(
        cluster.database("customers"),
        "SELECT id::text, purchases, bonus_balance::text FROM customers WHERE tenant_id = %s",
        tenant,
    )
    balances = dict(
        _rows(
            cluster.database("bonuses"),
            "SELECT customer_id::text, balance::text FROM bonus_accounts WHERE tenant_id = %s",
            tenant,
        )
    )
    directory = {
        service: dict(
            _rows(
                cluster.database(service),
                "SELECT id::text, tenant_id FROM " + table + " WHERE tenant_id = %s",
                tenant,
            )
        )
        for service, table in (("receipts", "known_customers"), ("messaging", "customers"))
    }
    return {
        "customers: purchases (receipts)": sum(
            1 for customer, count, _ in figures if count != purchases[customer]
        ),
        "customers: bonus balance (bonuses)": sum(
            1 for customer, _, balance in figures if balance != balances.get(customer, "0.00")
        ),
        **{
            f"{service}: customers (customers)": sum(
                1 for customer, _, _ in figures if customer not in known
            )
            for service, known in directory.items()
        },
    }


async def dead_letters(bootstrap_servers: str) -> Counter[str]:
    """Messages on every dead-letter topic, by the tenant they belong to."""
    topics = [spec.name for spec in TOPICS if ".dlq." in spec.name]
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    found: Counter[str] = Counter()
    try:
        while batch := await consumer.getmany(timeout_ms=1500):
            for records in batch.values():
                for record in records:
                    found[_tenant_of(record.headers, record.value)] += 1
    finally:
        await consumer.stop()
    return found


def _tenant_of(headers: Sequence[tuple[str, bytes]], value: bytes | None) -> str:
    """The tenant of a dead letter: its CloudEvents header, or a POS message's body."""
    for key, header in headers or ():
        if key == TENANT_HEADER:
            return header.decode(errors="replace")
    try:
        body = json.loads(value or b"{}")
    except ValueError:
        return "?"
    return str(body.get("tenantId", "?")) if isinstance(body, dict) else "?"


async def settle(cluster: Cluster, merchant: Merchant, limit: float) -> tuple[Tally, float | None]:
    """Count until the system has caught up or `limit` seconds passed; the seconds it took."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while True:
        tally = await asyncio.to_thread(count_effects, cluster, merchant)
        if tally.caught_up:
            waited: float | None = loop.time() - started
            break
        if loop.time() - started > limit:
            waited = None
            break
        await asyncio.sleep(0.5)
    letters = await dead_letters(cluster.system.kafka_bootstrap_servers)
    tally.dead_letters = letters[merchant.tenant]
    return tally, waited
