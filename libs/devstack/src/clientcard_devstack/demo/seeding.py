"""Seeding the demo tenant through the services' real paths.

Everything goes where a real client of the system would send it: GraphQL mutations through
the gateway (as the merchant's staff), POS receipts over HTTP with a POS API key and over
the POS Kafka topic, customers' replies through the sandbox channel's inbound endpoint.
Nothing is written to a database directly, so the events, read models and figures that
the card shows are the ones the system itself produced.
"""

import json
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import httpx

from clientcard_contracts.topics import POS_RECEIPTS
from clientcard_devstack.asyncio_bridge import run_sync
from clientcard_devstack.demo.data import (
    BROADCAST,
    OUTLETS,
    SEGMENTS,
    Client,
    Line,
    Purchase,
    Salon,
)
from clientcard_devstack.errors import StackError

T = TypeVar("T")
WORKERS = 8
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Endpoints:
    gateway: str  # .../graphql
    receipts: str  # base URL of the receipts service (POS HTTP)
    messaging: str  # base URL of the messaging service (sandbox inbound)
    kafka_bootstrap_servers: str


class GraphQLError(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(str(error.get("message")) for error in errors))
        self.codes = {str((error.get("extensions") or {}).get("code")) for error in errors}


class Staff:
    """The merchant's owner at the gateway."""

    def __init__(self, url: str, token: str) -> None:
        self._url = url
        self._http = httpx.Client(headers={"authorization": f"Bearer {token}"}, timeout=30.0)

    def __call__(self, query: str, **variables: object) -> dict[str, Any]:
        response = self._http.post(self._url, json={"query": query, "variables": variables})
        body: dict[str, Any] = response.json()
        if body.get("errors"):
            raise GraphQLError(body["errors"])
        data: dict[str, Any] = body["data"]
        return data

    def close(self) -> None:
        self._http.close()


def is_seeded(staff: Staff) -> bool:
    return int(staff("{ customers(first: 1) { totalCount } }")["customers"]["totalCount"]) > 0


def seed(
    endpoints: Endpoints,
    tenant: str,
    token: str,
    salon: Salon,
    progress: Callable[[str], None] = lambda _: None,
) -> int:
    """Send the salon's history; returns how many clients were registered."""
    staff = Staff(endpoints.gateway, token)
    try:
        staff(
            "mutation($p: LoyaltyProgramInput!) "
            "{ updateLoyaltyProgram(input: $p) { accrualPercent } }",
            p={
                "accrualPercent": "5.00",
                "maxRedeemPercent": "30.00",
                "expiryDays": 365,
                "welcomeBonus": "200.00",
            },
        )
        segment_ids = [
            staff("mutation($n: String!) { createSegment(name: $n) { id } }", n=name)[
                "createSegment"
            ]["id"]
            for name in SEGMENTS
        ]
        progress(f"registering {len(salon.clients)} clients")
        ids = _parallel(lambda client: _register(staff, client, segment_ids), salon.clients)
        clients = list(zip(ids, salon.clients, strict=True))
        progress("linking messengers and writing to clients")
        _parallel(lambda pair: _messengers(staff, *pair), clients)
        progress("ringing up receipts at the tills")
        _receipts(staff, endpoints, tenant, salon.clients)
        progress("manual bonus operations and a mailing")
        _parallel(lambda pair: _manual_bonuses(staff, *pair), clients)
        staff(
            "mutation($i: BroadcastInput!) { createBroadcast(input: $i) { id } }",
            i={"name": BROADCAST[0], "text": BROADCAST[1], "segmentIds": [segment_ids[-1]]},
        )
        progress("clients' replies and NPS answers")
        _replies(staff, endpoints, tenant, clients)
        return len(ids)
    finally:
        staff.close()


def _parallel(work: Callable[[Any], T], items: Iterable[Any]) -> list[T]:
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="demo-seed") as pool:
        return list(pool.map(work, items))


REGISTER = """
mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { id } }"""


def _register(staff: Staff, client: Client, segment_ids: list[str]) -> str:
    customer = staff(
        REGISTER,
        input={
            "phone": client.phone,
            "firstName": client.first_name,
            "lastName": client.last_name,
            "gender": client.gender,
            "birthDate": client.birth_date.isoformat() if client.birth_date else None,
            "email": client.email,
            "source": client.source,
            "channel": client.channel,
            "outletId": OUTLETS[client.outlet][0],
            "questionnaire": [{"question": q, "answer": a} for q, a in client.questionnaire],
        },
    )["registerCustomer"]["id"]
    if client.segments:
        staff(
            "mutation($c: ID!, $s: [ID!]!) "
            "{ assignSegments(customerId: $c, segmentIds: $s) { id } }",
            c=customer,
            s=[segment_ids[index] for index in client.segments],
        )
    for text in client.notes:
        staff(
            "mutation($c: ID!, $t: String!) { addNote(customerId: $c, text: $t) { id } }",
            c=customer,
            t=text,
        )
    return str(customer)


def _messengers(staff: Staff, customer: str, client: Client) -> None:
    for channel, address in client.messengers:
        staff(
            "mutation($c: ID!, $ch: Channel!, $a: String!) "
            "{ linkMessenger(customerId: $c, channel: $ch, address: $a) { channel } }",
            c=customer,
            ch=channel,
            a=address,
        )
    for text in client.messages:
        staff(
            "mutation($c: ID!, $t: String!) { sendMessage(customerId: $c, text: $t) { id } }",
            c=customer,
            t=text,
        )


def _manual_bonuses(staff: Staff, customer: str, client: Client) -> None:
    if client.manual_accrual:
        staff(
            "mutation($c: ID!, $a: Decimal!, $m: String) "
            "{ accrueBonuses(customerId: $c, amount: $a, comment: $m) { id } }",
            c=customer,
            a=str(client.manual_accrual),
            m="Бонус за отзыв о салоне",
        )
    if client.manual_write_off:
        try:
            staff(
                "mutation($c: ID!, $a: Decimal!, $m: String) "
                "{ writeOffBonuses(customerId: $c, amount: $a, comment: $m) { id } }",
                c=customer,
                a=str(client.manual_write_off),
                m="Списание по просьбе клиента",
            )
        except GraphQLError as refused:
            # A client who has spent everything cannot have more written off: the real
            # back office says so too, and the demo carries on.
            if refused.codes != {"BAD_USER_INPUT"}:
                raise


# -- POS receipts -------------------------------------------------------------------------


def _receipts(staff: Staff, endpoints: Endpoints, tenant: str, clients: Iterable[Client]) -> None:
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

        _parallel(post, by_http)
        # Returns come after their sales are stored, as they would at a till.
        _wait_for_receipts(staff, len(sales))
        returns = [
            (sale[1].outlet, return_message(tenant, *sale, datetime.now(UTC)))
            for sale in sales
            if sale[1].returned
        ]
        _parallel(post, returns)


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


# -- replies through the sandbox channel ----------------------------------------------------


def _replies(
    staff: Staff, endpoints: Endpoints, tenant: str, clients: list[tuple[str, Client]]
) -> None:
    with httpx.Client(base_url=endpoints.messaging, timeout=30.0) as sandbox:

        def say(client: Client, text: str) -> None:
            channel, address = client.messengers[0]
            response = sandbox.post(
                f"/channels/sandbox/{tenant}/inbound",
                json={"channel": channel, "address": address, "text": text},
            )
            if response.status_code != 200:
                raise StackError(
                    f"sandbox inbound refused ({response.status_code}): {response.text}"
                )

        for _, client in clients:
            if client.reply and client.messengers:
                say(client, client.reply)
        for customer, client in clients:
            if client.nps is None:
                continue
            if _survey_sent(staff, customer):
                score, comment = client.nps
                say(client, f"{score} {comment}" if comment else str(score))


def _survey_sent(staff: Staff, customer: str, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    query = (
        "query($c: ID!) { customer(id: $c) "
        "{ conversation(first: 20) { edges { node { kind } } } } }"
    )
    while time.monotonic() < deadline:
        edges = staff(query, c=customer)["customer"]["conversation"]["edges"]
        if any(edge["node"]["kind"] == "SURVEY" for edge in edges):
            return True
        time.sleep(0.5)
    return False
