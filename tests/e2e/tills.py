"""What the end-to-end tests do the way tills, messengers and staff do it: a POS receipt
over Kafka or HTTP, a message from the sandbox messenger, and waiting for the system to
catch up with what they sent."""

import json
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from clientcard_contracts.topics import POS_RECEIPTS
from clientcard_devstack.wholestack import RunningSystem


def eventually(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    """Poll until `check` stops failing an assertion; the last failure if it never does."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def pos_receipt(tenant: str, number: str, phone: str, **fields: Any) -> dict[str, Any]:
    items = fields.pop(
        "items",
        [{"name": "Стрижка", "quantity": "1", "price": "1000.00", "amount": "1000.00"}],
    )
    total = sum(Decimal(item["amount"]) for item in items)
    spent = Decimal(fields.pop("bonusesSpent", "0"))
    return {
        "tenantId": tenant,
        "posId": "till-1",
        "outletId": "center",
        "number": number,
        "type": "SALE",
        "purchasedAt": "2026-11-20T10:00:00+00:00",
        "customer": {"phone": phone},
        "items": items,
        "total": str(total),
        "bonusesSpent": str(spent),
        "paid": str(total - spent),
        **fields,
    }


async def publish_to_pos_topic(system: RunningSystem, message: dict[str, Any]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=system.kafka_bootstrap_servers, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(
            POS_RECEIPTS, json.dumps(message).encode(), key=message["customer"]["phone"].encode()
        )
    finally:
        await producer.stop()


def pos_http(system: RunningSystem, secret: str, body: dict[str, Any]) -> httpx.Response:
    receipts = system.service_urls["receipts"].removesuffix("/graphql")
    return httpx.post(
        f"{receipts}/pos/v1/receipts",
        json=body,
        headers={"authorization": f"Bearer {secret}"},
        timeout=30,
    )


def sandbox_says(system: RunningSystem, tenant: str, address: str, text: str) -> None:
    messaging = system.service_urls["messaging"].removesuffix("/graphql")
    response = httpx.post(
        f"{messaging}/channels/sandbox/{tenant}/inbound",
        json={"channel": "TELEGRAM", "address": address, "text": text},
        timeout=30,
    )
    assert response.status_code == 200, response.text


def wait_for_balance(staff: Any, customer: str, expected: str) -> None:
    def balance_is_expected() -> None:
        data = staff("query($c: ID!) { customer(id: $c) { bonuses { balance } } }", c=customer)
        assert data["customer"]["bonuses"]["balance"] == expected

    eventually(balance_is_expected)
