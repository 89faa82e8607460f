"""The demo salon's tills: receipts over POS HTTP with a POS API key and over the POS
Kafka topic, as the salon's history has them, and the wait until every one is stored."""

import json
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from clientcard_contracts.topics import POS_RECEIPTS
from clientcard_devstack.asyncio_bridge import run_sync
from clientcard_devstack.demo.data import OUTLETS, Client, Line, Purchase
from clientcard_devstack.demo.staff import Endpoints, Staff, in_parallel
from clientcard_devstack.errors import StackError

CENT = Decimal("0.01")


def ring_up(staff: Staff, endpoints: Endpoints, tenant: str, clients: Iterable[Client]) -> None:
    keys = {
        outlet: staff(
            "mutation($o: String!, $p: String!) "
            "{ createPosApiKey(outletId: $o, posId: $p) { secret } }",
            o=outlet,
            p=pos,
        )["createPosApiKey"]["secret"]
        for outlet, pos in OUTLETS
    }
    sales: list[tuple[Client, Purchase, str]] = []
    numbers = dict.fromkeys(range(len(OUTLETS)), 0)
    for client in clients:
        for purchase in client.purchases:
            numbers[purchase.outlet] += 1
            sales.append((client, purchase, f"{numbers[purchase.outlet]:06d}"))
    by_kafka = [sale_message(tenant, *sale) for sale in sales if sale[1].by_kafka]
    by_http = [
        (sale[1].outlet, sale_message(tenant, *sale)) for sale in sales if not sale[1].by_kafka
    ]
    run_sync(lambda: _publish(endpoints.kafka_bootstrap_servers, by_kafka))
    with httpx.Client(base_url=endpoints.receipts, timeout=30.0) as pos:

        def post(item: tuple[int, dict[str, Any]]) -> None:
            outlet, body = item
            secret = keys[OUTLETS[outlet][0]]
            response = pos.post(
                "/pos/v1/receipts", json=body, headers={"authorization": f"Bearer {secret}"}
            )
            if response.status_code not in (200, 201):
                raise StackError(f"POS receipt refused ({response.status_code}): {response.text}")

        in_parallel(post, by_http)
        # Returns come after their sales are stored, as they would at a till.
        _wait_for_receipts(staff, len(sales))
        returns = [
            (sale[1].outlet, return_message(tenant, *sale, datetime.now(UTC)))
            for sale in sales
            if sale[1].returned
        ]
        in_parallel(post, returns)


def sale_message(tenant: str, client: Client, purchase: Purchase, number: str) -> dict[str, Any]:
    spent = (purchase.total * purchase.spend_share).quantize(CENT)
    return _pos_message(
        tenant, purchase.outlet, number, "SALE", purchase.at, client.phone, purchase.lines, spent
    )


def return_message(
    tenant: str, client: Client, purchase: Purchase, number: str, now: datetime
) -> dict[str, Any]:
    back = (Line(purchase.lines[0].name, Decimal(1), purchase.lines[0].price),)
    at = min(purchase.at + timedelta(days=2), now - timedelta(minutes=1))
    message = _pos_message(
        tenant, purchase.outlet, f"R{number}", "RETURN", at, client.phone, back, Decimal(0)
    )
    return message | {"originalNumber": number}


def _pos_message(
    tenant: str,
    outlet: int,
    number: str,
    kind: str,
    at: datetime,
    phone: str,
    lines: tuple[Line, ...],
    spent: Decimal,
) -> dict[str, Any]:
    total = sum((line.amount for line in lines), Decimal("0.00"))
    outlet_id, pos_id = OUTLETS[outlet]
    return {
        "tenantId": tenant,
        "posId": pos_id,
        "outletId": outlet_id,
        "number": number,
        "type": kind,
        "purchasedAt": at.isoformat(),
        "customer": {"phone": phone},
        "items": [
            {
                "name": line.name,
                "quantity": str(line.quantity),
                "price": str(line.price),
                "amount": str(line.amount),
            }
            for line in lines
        ],
        "total": str(total),
        "bonusesSpent": str(spent),
        "paid": str(total - spent),
    }


async def _publish(bootstrap_servers: str, messages: list[dict[str, Any]]) -> None:
    from aiokafka import AIOKafkaProducer  # only the seeding needs a Kafka client

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, acks="all")
    await producer.start()
    try:
        for message in messages:
            await producer.send(
                POS_RECEIPTS,
                json.dumps(message, ensure_ascii=False).encode(),
                key=message["customer"]["phone"].encode(),
            )
        await producer.flush()
    finally:
        await producer.stop()


def _wait_for_receipts(staff: Staff, expected: int, timeout: float = 120.0) -> None:
    """Until the receipts service holds every sale (those from Kafka arrive on their own)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _stored_receipts(staff) >= expected:
            return
        time.sleep(1.0)
    raise StackError(f"the receipts service did not store all {expected} sales in {timeout:.0f} s")


STATS_PAGE = """
query($after: String) {
  customers(first: 200, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { purchaseStats { purchases returns } } }
  }
}"""


def _stored_receipts(staff: Staff) -> int:
    counted, after = 0, None
    while True:
        page = staff(STATS_PAGE, after=after)["customers"]
        for edge in page["edges"]:
            counted += edge["node"]["purchaseStats"]["purchases"]
        if not page["pageInfo"]["hasNextPage"]:
            return counted
        after = page["pageInfo"]["endCursor"]
