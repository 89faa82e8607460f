"""The data: a salon seeded through the real paths, and full cards for a few of its clients.

A full card has what the card query pages through: 20 receipts paid at the till over POS
HTTP (their bonuses applied by the bonuses service), 20 manual accruals and 50 messages.
"""

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx

from card.progress import say
from card.queries import CARD
from card.system import base_url
from clientcard_devstack.demo import data, seeding, tills
from clientcard_devstack.wholestack import RunningSystem

TENANT = "bench-salon"
RECEIPTS_PER_CARD = 20
FILLING_WORKERS = 8  # cards filled at once
ACCRUALS_PER_CARD = 20
MESSAGES_PER_CARD = 50
CUSTOMER_BY_PHONE = "query($p: String!) { customerByPhone(phone: $p) { id } }"
POS_KEY = (
    "mutation($o: String!, $p: String!) { createPosApiKey(outletId: $o, posId: $p) { secret } }"
)
ACCRUE = (
    "mutation($c: ID!, $a: Decimal!, $m: String) "
    "{ accrueBonuses(customerId: $c, amount: $a, comment: $m) { id } }"
)
SEND = "mutation($c: ID!, $t: String!) { sendMessage(customerId: $c, text: $t) { id } }"


def prepare_cards(system: RunningSystem, token: str, clients: int, cards: int) -> list[str]:
    """Seeds the salon and fills `cards` clients' cards; returns their customer ids."""
    salon = data.salon(clients)
    endpoints = seeding.Endpoints(
        gateway=system.gateway_url,
        receipts=base_url(system, "receipts"),
        messaging=base_url(system, "messaging"),
        kafka_bootstrap_servers=system.kafka_bootstrap_servers,
    )
    started = time.monotonic()
    seeding.seed(endpoints, TENANT, token, salon, progress=lambda step: say(f"seeding: {step}"))
    say(f"seeded {clients} clients in {time.monotonic() - started:.0f} s")
    chosen = richest(salon, cards)
    staff = seeding.Staff(system.gateway_url, token)
    try:
        ids = [
            staff(CUSTOMER_BY_PHONE, p=client.phone)["customerByPhone"]["id"] for client in chosen
        ]
        outlet, till = data.OUTLETS[0][0], data.OUTLETS[0][1]
        secret = staff(POS_KEY, o=outlet, p=till)["createPosApiKey"]["secret"]
        with ThreadPoolExecutor(max_workers=FILLING_WORKERS) as pool:
            filled = pool.map(
                lambda index: fill_card(system, staff, secret, index, ids[index], chosen[index]),
                range(len(ids)),
            )
            list(filled)  # raises the first failure
        for customer in ids:
            wait_until_full(staff, customer)
    finally:
        staff.close()
    say(f"{len(ids)} full cards ready")
    return ids


def richest(salon: data.Salon, count: int) -> list[data.Client]:
    """The clients with the most on their cards: a messenger, an NPS answer, notes, segments."""
    with_messenger = [client for client in salon.clients if client.messengers]
    with_messenger.sort(
        key=lambda client: (
            client.nps is not None,
            len(client.purchases),
            len(client.notes),
            len(client.segments),
        ),
        reverse=True,
    )
    if len(with_messenger) < count:
        sys.exit(f"only {len(with_messenger)} clients with a messenger: raise --clients")
    return with_messenger[:count]


def fill_card(
    system: RunningSystem,
    staff: seeding.Staff,
    pos_secret: str,
    index: int,
    customer: str,
    client: data.Client,
) -> None:
    """20 purchases at the till (POS HTTP), 20 manual accruals and 50 messages."""
    pay_at_the_till(system, pos_secret, index, client)
    for number in range(ACCRUALS_PER_CARD):
        staff(ACCRUE, c=customer, a="50.00", m=f"Бонус за визит №{number + 1}")
    for number in range(MESSAGES_PER_CARD):
        staff(SEND, c=customer, t=data.MESSAGES[number % len(data.MESSAGES)])


def pay_at_the_till(
    system: RunningSystem, pos_secret: str, index: int, client: data.Client
) -> None:
    """The client's purchases, one a day over the last 20 days, each sent by the till."""
    now = datetime.now(UTC).replace(microsecond=0)
    with httpx.Client(base_url=base_url(system, "receipts"), timeout=30.0) as pos:
        for number in range(RECEIPTS_PER_CARD):
            name, price = data.CATALOG[number % len(data.CATALOG)]
            purchase = data.Purchase(
                outlet=0,
                at=now - timedelta(days=RECEIPTS_PER_CARD - number, hours=index),
                lines=(data.Line(name, Decimal(1 + number % 2), price),),
                by_kafka=False,
                spend_share=Decimal(0),
                returned=False,
            )
            body = tills.sale_message(TENANT, client, purchase, f"B{index:02d}-{number:03d}")
            response = pos.post(
                "/pos/v1/receipts", json=body, headers={"authorization": f"Bearer {pos_secret}"}
            )
            if response.status_code not in (200, 201):
                raise RuntimeError(f"POS receipt refused: {response.status_code} {response.text}")


def wait_until_full(staff: seeding.Staff, customer: str, timeout: float = 120.0) -> None:
    """Until the card's pages are full and the receipts' bonuses have been applied."""
    deadline = time.monotonic() + timeout
    while True:
        card = staff(CARD, id=customer)["customer"]
        receipts = card["receipts"]["edges"]
        full = (
            len(receipts) == RECEIPTS_PER_CARD
            and len(card["bonuses"]["operations"]["edges"]) == ACCRUALS_PER_CARD
            and len(card["conversation"]["edges"]) == MESSAGES_PER_CARD
            and card["bonuses"]["purchases"] >= card["purchaseStats"]["purchases"]
        )
        if full:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the card of {customer} is not full after {timeout:.0f} s")
        time.sleep(1.0)
