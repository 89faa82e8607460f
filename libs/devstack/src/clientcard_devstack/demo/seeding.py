"""Seeding the demo tenant through the services' real paths.

Everything goes where a real client of the system would send it: GraphQL mutations through
the gateway (as the merchant's staff), POS receipts over HTTP with a POS API key and over
the POS Kafka topic, customers' replies through the sandbox channel's inbound endpoint.
Nothing is written to a database directly, so the events, read models and figures that
the card shows are the ones the system itself produced.
"""

import time
from collections.abc import Callable
from decimal import Decimal

import httpx

from clientcard_devstack.demo import tills
from clientcard_devstack.demo.data import (
    BROADCAST,
    OUTLETS,
    SEGMENTS,
    Client,
    Salon,
)
from clientcard_devstack.demo.staff import Endpoints, GraphQLError, Staff, in_parallel
from clientcard_devstack.errors import StackError

__all__ = ["Endpoints", "GraphQLError", "Staff", "is_seeded", "seed"]

CENT = Decimal("0.01")


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
        ids = in_parallel(lambda client: _register(staff, client, segment_ids), salon.clients)
        clients = list(zip(ids, salon.clients, strict=True))
        progress("linking messengers and writing to clients")
        in_parallel(lambda pair: _messengers(staff, *pair), clients)
        progress("ringing up receipts at the tills")
        tills.ring_up(staff, endpoints, tenant, salon.clients)
        progress("manual bonus operations and a mailing")
        in_parallel(lambda pair: _manual_bonuses(staff, *pair), clients)
        staff(
            "mutation($i: BroadcastInput!) { createBroadcast(input: $i) { id } }",
            i={"name": BROADCAST[0], "text": BROADCAST[1], "segmentIds": [segment_ids[-1]]},
        )
        progress("clients' replies and NPS answers")
        _replies(staff, endpoints, tenant, clients)
        return len(ids)
    finally:
        staff.close()


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
