"""What each target is sent: the cards of a run as the load generator reads them.

Through a gateway a card is one request (the card query); `direct` and `direct-sequential`
send the requests of the gateway's query plan to the subgraphs themselves.
"""

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from card.gateways import DIRECT, Target
from card.progress import say
from card.queries import (
    BONUSES_PART,
    CARD,
    CUSTOMERS_PART,
    MESSAGING_PART,
    RECEIPT_NUMBERS_PART,
    RECEIPTS_PART,
)
from clientcard_devstack.wholestack import RunningSystem


def write_scenarios(
    state: Path,
    system: RunningSystem,
    gateways: Mapping[str, Target],
    targets: Sequence[str],
    token: str,
    customers: Sequence[str],
) -> dict[str, Path]:
    """One scenario file per target, for `cardload -scenario`."""
    folder = state / "scenarios"
    folder.mkdir(parents=True, exist_ok=True)
    scenarios = {}
    for name in targets:
        if name in DIRECT:
            cards = [direct_card(system, token, customer) for customer in customers]
        else:
            url = gateways[name].url
            cards = [{"stages": [[request(url, CARD, id=customer)]]} for customer in customers]
        scenario = {
            "name": name,
            "headers": {"authorization": f"Bearer {token}"},
            "parallel_stages": name == "direct",
            "cards": cards,
        }
        scenarios[name] = folder / f"{name}.json"
        scenarios[name].write_text(json.dumps(scenario, ensure_ascii=False))
    return scenarios


def request(url: str, query: str, **variables: object) -> dict[str, str]:
    body = json.dumps({"query": query, "variables": variables}, ensure_ascii=False)
    return {"url": url, "body": body}


def direct_card(system: RunningSystem, token: str, customer: str) -> dict[str, Any]:
    """The card as the query plan fetches it: 2 or 3 stages, 4 or 5 subgraph requests.

    Stage 1 asks customers for the customer; stage 2 asks receipts (the receipts with the
    bonuses of each), bonuses and messaging for their fields of that Customer entity; stage
    3, only when NPS answers name receipts, asks receipts for those receipts' numbers.

    The representations of stage 3 come from stage 2's answers, asked once here: the data
    does not change during the run, so every card sends the same.
    """
    urls = system.service_urls
    me = [{"__typename": "Customer", "id": customer}]
    stage_two = [
        request(urls["receipts"], RECEIPTS_PART, representations=me),
        request(urls["bonuses"], BONUSES_PART, representations=me),
        request(urls["messaging"], MESSAGING_PART, representations=me),
    ]
    answers = post(stage_two[2], token)["_entities"][0]["nps"]["responses"]
    rated = [
        {"__typename": "Receipt", "id": answer["receipt"]["id"]}
        for answer in answers
        if answer["receipt"]
    ]
    stage_one = [request(urls["customers"], CUSTOMERS_PART, id=customer)]
    if not rated:
        return {"stages": [stage_one, stage_two]}
    stage_three = [request(urls["receipts"], RECEIPT_NUMBERS_PART, representations=rated)]
    return {"stages": [stage_one, stage_two, stage_three]}


def post(item: Mapping[str, str], token: str) -> dict[str, Any]:
    """One request of a scenario, sent once; its data, or an error if it has any."""
    response = httpx.post(
        item["url"],
        content=item["body"].encode(),
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
        timeout=30.0,
    )
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{item['url']} answered {response.status_code}: {response.text[:500]}")
    data: dict[str, Any] = body["data"]
    return data


def check_answers(gateways: Mapping[str, Target], token: str, customers: Sequence[str]) -> None:
    """Every gateway gives the same card for the same client (else the run would compare
    different work)."""
    for customer in customers:
        cards = {
            name: post(request(target.url, CARD, id=customer), token)
            for name, target in gateways.items()
            if target.url
        }
        reference = cards["hive-gateway"]
        for name, card in cards.items():
            if card != reference:
                say(f"warning: {name}'s card of {customer} differs from hive-gateway's")
    say("every gateway answers the full card without errors")
