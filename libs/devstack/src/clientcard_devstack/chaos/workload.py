"""What the suite's merchants do while a fault strikes, as a till and a manager would.

Every request is retried until the system confirms it, as a till with a queue of unsent
receipts and a manager pressing the button again do: a receipt with its own number (the
receipts service tells a repeat by it), a registration by its phone (a repeat is refused
as taken, which confirms the first), a manual accrual by its `requestId`. What was
confirmed is what the counts afterwards must find, once each.
"""

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from clientcard_contracts.topics import POS_RECEIPTS
from clientcard_kit.auth import issue_dev_token

REGISTER = "mutation($p: String!) { registerCustomer(input: {phone: $p}) { id } }"
SEGMENT = 'mutation { createSegment(name: "Постоянные") { id } }'
ASSIGN = "mutation($c: ID!, $s: [ID!]!) { assignSegments(customerId: $c, segmentIds: $s) { id } }"
LINK = "mutation($c: ID!, $a: String!) { linkMessenger(customerId: $c, channel: TELEGRAM, address: $a) { channel } }"  # noqa: E501
BROADCAST = "mutation($input: BroadcastInput!) { createBroadcast(input: $input) { id } }"
ACCRUE = """mutation($c: ID!, $r: ID!, $m: String!) {
  accrueBonuses(customerId: $c, amount: "1.00", comment: $m, requestId: $r) { id } }"""
# How long one request may keep failing before the suite calls it lost to the fault.
GIVE_UP_SECONDS = 120.0


class Unconfirmed(Exception):
    """A request the system never confirmed within GIVE_UP_SECONDS."""


@dataclass
class Merchant:
    """One phase's tenant: its clients, and everything the system confirmed to it."""

    tenant: str
    phase: int
    members: list[tuple[str, str]] = field(default_factory=list)  # (customer id, phone)
    segment_id: str = ""
    broadcast_id: str = ""
    receipts: set[str] = field(default_factory=set)
    registered: set[str] = field(default_factory=set)
    accruals: set[str] = field(default_factory=set)
    unconfirmed: list[str] = field(default_factory=list)

    def phone(self, number: int) -> str:
        return f"+79{10 + self.phase:02d}{number:07d}"

    @property
    def phones(self) -> list[str]:
        return [phone for _, phone in self.members] + sorted(self.registered)


class Staff:
    """GraphQL through the gateway as the merchant's manager."""

    def __init__(self, client: httpx.AsyncClient, url: str, tenant: str) -> None:
        token = issue_dev_token(tenant=tenant, role="OWNER", subject=f"chaos@{tenant}")
        self._client, self._url = client, url
        self._headers = {"authorization": f"Bearer {token}"}

    async def ask(self, query: str, **variables: Any) -> dict[str, Any]:
        """The answer's body, errors and all; a transport failure raises httpx.HTTPError."""
        response = await self._client.post(
            self._url,
            json={"query": query, "variables": variables},
            headers=self._headers,
            timeout=10,
        )
        body: dict[str, Any] = response.json()
        return body

    async def until_confirmed(
        self, query: str, accept: Callable[[dict[str, Any]], bool] = lambda _: False, **v: Any
    ) -> dict[str, Any]:
        """Ask again until the data comes back (or `accept` takes the errors as an answer)."""
        deadline = time.monotonic() + GIVE_UP_SECONDS
        while True:
            try:
                body = await self.ask(query, **v)
                if not body.get("errors") or accept(body):
                    return body
            except (httpx.HTTPError, ValueError):
                pass  # the gateway away or cut off: try again, as a person would
            if time.monotonic() > deadline:
                raise Unconfirmed(f"{query.split('(')[0]} {v}")
            await asyncio.sleep(0.3)


def _phone_taken(body: dict[str, Any]) -> bool:
    return any(e.get("extensions", {}).get("code") == "CONFLICT" for e in body["errors"])


async def register(staff: Staff, phone: str) -> str | None:
    """The customer's id; None when a retry found the phone taken by its own first try."""
    body = await staff.until_confirmed(REGISTER, _phone_taken, p=phone)
    if body.get("errors"):
        return None
    return str(body["data"]["registerCustomer"]["id"])


async def open_merchant(staff: Staff, merchant: Merchant, members: int) -> None:
    """Clients in a segment with Telegram linked, on a healthy system."""
    segment = await staff.until_confirmed(SEGMENT)
    merchant.segment_id = segment["data"]["createSegment"]["id"]

    async def member(number: int) -> tuple[str, str]:
        phone = merchant.phone(number)
        customer = await register(staff, phone)
        if customer is None:
            raise Unconfirmed(f"the member {phone} of a healthy system")
        await staff.until_confirmed(ASSIGN, c=customer, s=[merchant.segment_id])
        await staff.until_confirmed(LINK, c=customer, a=str(900_000 + number))
        return customer, phone

    gate = asyncio.Semaphore(8)

    async def gated(number: int) -> tuple[str, str]:
        async with gate:
            return await member(number)

    merchant.members = list(await asyncio.gather(*(gated(n) for n in range(members))))


async def schedule_mailing(staff: Staff, merchant: Merchant, in_seconds: float) -> None:
    at = datetime.now(UTC) + timedelta(seconds=in_seconds)
    body = await staff.until_confirmed(
        BROADCAST,
        input={
            "name": "Скидка недели",
            "text": "Всю неделю скидка 10 % на уход",
            "segmentIds": [merchant.segment_id],
            "channel": "TELEGRAM",
            "scheduledAt": at.isoformat(),
        },
    )
    merchant.broadcast_id = body["data"]["createBroadcast"]["id"]


async def paced(
    stop: asyncio.Event, per_second: float, step: Callable[[int], Awaitable[None]]
) -> None:
    """Call `step(0)`, `step(1)`, … at `per_second` until `stop`; a slow step slows the pace."""
    number = 0
    while not stop.is_set():
        started = time.monotonic()
        await step(number)
        number += 1
        await asyncio.sleep(max(0.0, 1 / per_second - (time.monotonic() - started)))


async def stream_registrations(
    staff: Staff, merchant: Merchant, stop: asyncio.Event, rate: float
) -> None:
    async def step(number: int) -> None:
        phone = merchant.phone(500_000 + number)
        try:
            await register(staff, phone)
        except Unconfirmed as lost:
            merchant.unconfirmed.append(str(lost))
            return
        merchant.registered.add(phone)

    await paced(stop, rate, step)


async def stream_accruals(
    staff: Staff, merchant: Merchant, stop: asyncio.Event, rate: float
) -> None:
    async def step(number: int) -> None:
        customer, _ = merchant.members[number % len(merchant.members)]
        request = f"chaos-{number:06d}"
        try:
            await staff.until_confirmed(ACCRUE, c=customer, r=request, m=request)
        except Unconfirmed as lost:
            merchant.unconfirmed.append(str(lost))
            return
        merchant.accruals.add(request)

    await paced(stop, rate, step)


def pos_receipt(merchant: Merchant, number: str, phone: str) -> dict[str, Any]:
    return {
        "tenantId": merchant.tenant,
        "posId": "till-1",
        "outletId": "center",
        "number": number,
        "type": "SALE",
        "purchasedAt": datetime.now(UTC).isoformat(),
        "customer": {"phone": phone},
        "items": [{"name": "Стрижка", "quantity": "1", "price": "1000.00", "amount": "1000.00"}],
        "total": "1000.00",
        "bonusesSpent": "0.00",
        "paid": "1000.00",
    }


async def stream_receipts(
    bootstrap_servers: str, merchant: Merchant, stop: asyncio.Event, rate: float
) -> None:
    """A till publishing over Kafka, each receipt sent again until the broker takes it."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        request_timeout_ms=3000,
        retry_backoff_ms=200,
    )
    await producer.start()

    async def step(number: int) -> None:
        phones = merchant.phones
        phone = phones[number % len(phones)]
        receipt = f"R-{number:06d}"
        value = json.dumps(pos_receipt(merchant, receipt, phone)).encode()
        deadline = time.monotonic() + GIVE_UP_SECONDS
        while True:
            try:
                await asyncio.wait_for(
                    producer.send_and_wait(POS_RECEIPTS, value, key=phone.encode()), timeout=5
                )
                merchant.receipts.add(receipt)
                return
            except Exception:  # any failure of the broker: send it again
                if time.monotonic() > deadline:
                    merchant.unconfirmed.append(f"receipt {receipt}")
                    return
                await asyncio.sleep(0.5)

    try:
        await paced(stop, rate, step)
    finally:
        await producer.stop()
