"""A rolling update loses nothing: the receipts service is stopped (SIGTERM) and started
again while POS receipts flow in, and every receipt is stored and announced exactly once.
"""

import asyncio
import json
import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from clientcard_contracts.topics import POS_RECEIPTS, RECEIPTS
from clientcard_devstack.wholestack import RunningSystem

from .tills import eventually, pos_receipt

pytestmark = pytest.mark.integration

RECEIPTS_SENT = 400


async def send_receipts(system: RunningSystem, tenant: str, phone: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=system.kafka_bootstrap_servers, acks="all")
    await producer.start()
    try:
        for number in range(RECEIPTS_SENT):
            message = pos_receipt(tenant, f"F-{number:05d}", phone)
            await producer.send(POS_RECEIPTS, json.dumps(message).encode(), key=phone.encode())
            if number % 20 == 0:  # a steady flow over a few seconds, not one burst
                await producer.flush()
                await asyncio.sleep(0.1)
        await producer.flush()
    finally:
        await producer.stop()


async def announced_receipts(system: RunningSystem, tenant: str) -> list[str]:
    """The receipt ids of every `receipt.registered` event of the tenant on receipts.v1."""
    consumer = AIOKafkaConsumer(
        RECEIPTS,
        bootstrap_servers=system.kafka_bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    try:
        found: list[str] = []
        while True:
            batch = await consumer.getmany(timeout_ms=2000)
            if not batch:
                return found
            for records in batch.values():
                for record in records:
                    body = json.loads(record.value or b"{}")
                    if body.get("tenantId") == tenant and "receiptId" in body:
                        found.append(body["receiptId"])
    finally:
        await consumer.stop()


async def test_a_receipts_service_stopped_mid_flow_loses_and_doubles_nothing(
    system: RunningSystem, as_staff: Any
) -> None:
    tenant = f"rolling-{uuid.uuid4().hex[:8]}"
    staff = as_staff(tenant, "MANAGER")
    phone = f"+7917{uuid.uuid4().int % 10_000_000:07d}"
    customer = staff(
        "mutation($p: String!) { registerCustomer(input: {phone: $p}) { id } }", p=phone
    )["registerCustomer"]["id"]

    flow = asyncio.create_task(send_receipts(system, tenant, phone))
    await asyncio.sleep(1.5)
    await asyncio.to_thread(system.stop_service, "receipts")  # SIGTERM, waits for the exit
    await asyncio.to_thread(system.start_service, "receipts")
    await flow

    def all_stored() -> None:
        data = staff("query($c: ID!) { customer(id: $c) { receipts { totalCount } } }", c=customer)
        assert data["customer"]["receipts"]["totalCount"] == RECEIPTS_SENT

    await asyncio.to_thread(eventually, all_stored, 120.0)
    announced = await announced_receipts(system, tenant)
    assert len(set(announced)) == RECEIPTS_SENT
    assert len(announced) == RECEIPTS_SENT  # none published twice
