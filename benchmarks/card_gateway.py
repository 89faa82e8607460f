"""Benchmark of the whole customer card through the gateway, against the subgraphs themselves.

Starts its own PostgreSQL and Kafka (the tests' servers, on the ports of
CLIENTCARD_TEST_SLOT), the four services and Hive Gateway (`running_system`), seeds a salon
through the real paths (`clientcard_devstack.demo`), then gives a handful of its clients a
full card the same way: 20 receipts over the POS HTTP API, 20 manual bonus accruals and
50 messages. Then, for each concurrency, it sends the full card query (every section;
20 receipts, 20 bonus operations, 50 messages) for those clients, target after target:

- `hive-gateway`: the project's gateway, as `gateway/bin/clientcard-gateway` runs it;
- `apollo-gateway`: `@apollo/gateway` with `@apollo/server` (benchmarks/gateways/apollo);
- `hive-router`: The Guild's Rust router (`cargo install hive-router`, see
  benchmarks/gateways/README.md);
- `direct`: no gateway: the requests of the gateway's query plan (see `direct_card`), sent
  straight to the subgraphs in its 3 stages, the requests of a stage at once as a gateway
  sends them. One card is those 6 requests; its latency runs from the first request's
  start to the last answer. What a gateway adds to that is its overhead;
- `direct-sequential`: the same 6 requests one after another.

Every gateway gets the same supergraph (composed here from each service's `sdl` command),
verifies the caller's JWT and forwards it to the subgraphs, which verify it again. The load
comes from `cardload` (Go, benchmarks/gateways/cardload, built here with `go build`): each
of N workers sends one card after another over keep-alive connections, each time the card of
one of the `--cards` clients drawn at random; a card answered with any error counts as an
error, not as a card. Printed per target and concurrency: cards/s, latency p50/p90/p99,
errors, the requests the subgraphs answered per card (fewer than the plan's when a gateway
merges identical in-flight requests of concurrent cards of the same client), the CPU the
gateway, the services and the load generator used per card (the services' net of what their
background loops use when idle, measured first), and how busy the machine's cores were; then
the gateways' overhead as ratios against `direct`. Before measuring, it counts the requests
each subgraph receives for one card through each gateway (from the services' own metrics),
to show the plan `direct` mirrors.

    CLIENTCARD_TEST_SLOT=6 .venv/bin/python benchmarks/card_gateway.py
    CLIENTCARD_TEST_SLOT=6 .venv/bin/python benchmarks/card_gateway.py \\
        --duration 30 --concurrency 1,8,32 --targets hive-gateway,hive-router,direct \\
        --json /tmp/card-gateway.json

Everything it starts runs on this machine, as the project's 2-core machine would run it;
its state folder is `.state/bench/card-gateway-slot<N>/` (logs stay there after a run).
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from clientcard_contracts.topics import SERVICES
from clientcard_devstack import processes
from clientcard_devstack.demo import data, seeding, tills
from clientcard_devstack.paths import repo_root
from clientcard_devstack.testservers import kafka_server, postgres_server
from clientcard_devstack.wholestack import RunningSystem, free_port, running_system
from clientcard_kit.auth import issue_dev_token
from clientcard_kit.settings import DEV_JWT_SECRET, JWT_AUDIENCE

TARGETS = ("hive-gateway", "apollo-gateway", "hive-router", "direct", "direct-sequential")
DIRECT = ("direct", "direct-sequential")
TENANT = "bench-salon"
HOST = "127.0.0.1"
ROOT = repo_root()
GATEWAYS = ROOT / "benchmarks" / "gateways"
APOLLO_DIR = GATEWAYS / "apollo"
HIVE_ROUTER_BINARY = GATEWAYS / "hive-router" / "build" / "bin" / "hive_router"
LOADER_DIR = GATEWAYS / "cardload"
LOADER_BINARY = LOADER_DIR / "build" / "cardload"

# The card a frontend shows: every section, with the pages the issue names (20 receipts,
# 20 bonus operations, 50 messages). The fields of tests/e2e/test_card.py's CARD, plus the
# dates and receipt lines that the card displays.
CARD = """
query Card($id: ID!) {
  customer(id: $id) {
    id firstName lastName phone email birthDate gender
    registration { source outletId registeredAt }
    questionnaire { question answer }
    segments { name customersCount }
    notes(first: 20) { totalCount edges { node { text author createdAt } } }
    summary { purchases revenue bonusBalance messengerStatus defaultChannel lastNpsScore }
    purchaseStats { purchases returns revenue averageCheck lastPurchaseAt }
    receipts(first: 20) {
      totalCount
      edges {
        node {
          number type purchasedAt total paid bonusesSpent bonusesAccrued
          items { name quantity price amount }
          originalReceipt { number }
        }
      }
    }
    bonuses {
      balance accrued spent expired purchases
      operations(first: 20) {
        totalCount
        edges { node { occurredAt type event amount balanceAfter comment author } }
      }
    }
    messengers { channel isDefault status messagesDelivered }
    conversation(first: 50) {
      totalCount edges { node { sentAt direction channel kind text status } }
    }
    nps { lastScore responses { score comment respondedAt receipt { number } } }
  }
}"""

# The same card as the gateway's query plan fetches it, one subgraph request at a time.
# Stage 1: the customer's own fields (customers).
CUSTOMERS_PART = """
query Card($id: ID!) {
  customer(id: $id) {
    id firstName lastName phone email birthDate gender
    registration { source outletId registeredAt }
    questionnaire { question answer }
    segments { name customersCount }
    notes(first: 20) { totalCount edges { node { text author createdAt } } }
    summary { purchases revenue bonusBalance messengerStatus defaultChannel lastNpsScore }
  }
}"""
# Stage 2: the other three subgraphs' fields of the Customer entity.
RECEIPTS_PART = """
query Card($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Customer {
      purchaseStats { purchases returns revenue averageCheck lastPurchaseAt }
      receipts(first: 20) {
        totalCount
        edges {
          node {
            __typename id number type purchasedAt total paid
            items { name quantity price amount }
            originalReceipt { number }
          }
        }
      }
    }
  }
}"""
BONUSES_PART = """
query Card($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Customer {
      bonuses {
        balance accrued spent expired purchases
        operations(first: 20) {
          totalCount
          edges { node { occurredAt type event amount balanceAfter comment author } }
        }
      }
    }
  }
}"""
MESSAGING_PART = """
query Card($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Customer {
      messengers { channel isDefault status messagesDelivered }
      conversation(first: 50) {
        totalCount edges { node { sentAt direction channel kind text status } }
      }
      nps { lastScore responses { score comment respondedAt receipt { __typename id } } }
    }
  }
}"""
# Stage 3: the bonuses of the 20 receipts (bonuses) and the numbers of the receipts that NPS
# answers refer to (receipts).
RECEIPT_BONUSES_PART = """
query Card($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Receipt { bonusesSpent bonusesAccrued }
  }
}"""
RECEIPT_NUMBERS_PART = """
query Card($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Receipt { number } }
}"""


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    url: str  # where a card query goes (a gateway), or "" for the subgraphs directly
    pids: Callable[[], list[int]]  # the gateway's processes (their CPU is its CPU)


@dataclass(frozen=True, slots=True)
class Measurement:
    target: str
    concurrency: int
    loader: dict[str, Any]
    seconds: float  # the loader's whole run, warm-up included
    gateway_cpu: float  # CPU seconds over the whole run
    services_cpu: dict[str, float]  # CPU seconds per service, net of its idle use
    busy_share: float  # of all cores, over the whole run
    subgraph_requests: float  # answered by the services over the whole run


def main() -> None:
    options = parse_arguments()
    slot = os.environ.get("CLIENTCARD_TEST_SLOT", "0")
    state = ROOT / ".state" / "bench" / f"card-gateway-slot{slot}"
    shutil.rmtree(state, ignore_errors=True)
    state.mkdir(parents=True)
    targets = available_targets(options.targets)
    say(f"state and logs: {state.relative_to(ROOT)}")
    loader = build_loader()
    with ExitStack() as stack:
        started = time.monotonic()
        postgres = stack.enter_context(postgres_server())
        kafka = stack.enter_context(kafka_server())
        subgraphs = write_subgraph_sdls(state / "subgraphs")
        supergraph = compose_supergraph(subgraphs, state / "supergraph.graphql", {})
        system = stack.enter_context(
            running_system(
                postgres,
                kafka,
                state,
                database_prefix="cardbench",
                environment={"GATEWAY_SUPERGRAPH": str(supergraph)},
            )
        )
        say(f"system up in {time.monotonic() - started:.0f} s")
        token = issue_dev_token(tenant=TENANT, role="OWNER", subject=f"owner@{TENANT}")
        customers = prepare_cards(system, token, options.clients, options.cards)
        routed = compose_supergraph(
            subgraphs, state / "supergraph-routed.graphql", subgraph_url_variables(system)
        )
        gateways = start_gateways(stack, system, state, routed, targets, token)
        scenarios = write_scenarios(state, system, gateways, targets, token, customers)
        check_answers(gateways, token, customers)
        count_subgraph_requests(system, gateways, token, customers[0])
        idle = idle_services_cpu(system)
        results = measure(options, loader, scenarios, gateways, system, idle)
    report(results, options, idle)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds before")
    parser.add_argument("--concurrency", default="1,8,32", help="comma-separated")
    parser.add_argument(
        "--targets",
        default="all",
        help=f"comma-separated among {', '.join(TARGETS)}; 'all' skips gateways not installed",
    )
    parser.add_argument("--clients", type=int, default=200, help="clients in the seeded salon")
    parser.add_argument(
        "--cards",
        type=int,
        default=64,
        help="clients whose full card is read, drawn at random (many more than the highest "
        "concurrency, so that concurrent cards are rarely of the same client)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    options = parser.parse_args()
    options.concurrencies = [int(value) for value in options.concurrency.split(",")]
    return options


def say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# -- the other gateways and the load generator --------------------------------------------


def available_targets(asked: str) -> list[str]:
    """The targets to measure; asked-for gateways that are not installed stop the run."""
    missing = {
        "apollo-gateway": None
        if (APOLLO_DIR / "node_modules" / "@apollo" / "gateway").is_dir()
        else f"install it with `npm ci --prefix {APOLLO_DIR.relative_to(ROOT)}`",
        "hive-router": None
        if HIVE_ROUTER_BINARY.is_file()
        else "build it as benchmarks/gateways/README.md says",
    }
    if asked == "all":
        for name, why in missing.items():
            if why:
                say(f"skipping {name}: {why}")
        return [name for name in TARGETS if not missing.get(name)]
    chosen = [name.strip() for name in asked.split(",") if name.strip()]
    for name in chosen:
        if name not in TARGETS:
            sys.exit(f"unknown target {name!r}; choose among {', '.join(TARGETS)}")
        if missing.get(name):
            sys.exit(f"{name} is not installed: {missing[name]}")
    return chosen


def build_loader() -> Path:
    if shutil.which("go") is None:
        sys.exit("the load generator needs Go (`go` on the PATH) to be built")
    subprocess.run(
        ["go", "build", "-o", str(LOADER_BINARY), "."],
        cwd=LOADER_DIR,
        check=True,
    )
    return LOADER_BINARY


def write_subgraph_sdls(folder: Path) -> Path:
    """Each service's SDL from its current code, as `compose.mjs --services-dir` reads them."""
    for name in SERVICES:
        (folder / name).mkdir(parents=True, exist_ok=True)
        sdl = subprocess.run(
            [sys.executable, "-m", f"clientcard_{name}", "sdl"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        (folder / name / "schema.graphql").write_text(sdl)
    return folder


def compose_supergraph(subgraphs: Path, output: Path, urls: Mapping[str, str]) -> Path:
    """The supergraph of those SDLs, with the subgraph URLs in `urls` (else the defaults)."""
    subprocess.run(
        [
            "node",
            str(ROOT / "gateway" / "compose.mjs"),
            *("--services-dir", str(subgraphs)),
            *("--output", str(output)),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, **urls},
    )
    return output


def subgraph_url_variables(system: RunningSystem) -> dict[str, str]:
    return {f"{name.upper()}_URL": url for name, url in system.service_urls.items()}


def start_gateways(
    stack: ExitStack,
    system: RunningSystem,
    state: Path,
    supergraph: Path,
    targets: Sequence[str],
    token: str,
) -> dict[str, Target]:
    gateway_pid = state / "run" / "gateway.pid"
    gateways = {
        "hive-gateway": Target("hive-gateway", system.gateway_url, lambda: pids_of(gateway_pid)),
        "direct": Target("direct", "", list),
        "direct-sequential": Target("direct-sequential", "", list),
    }
    if "apollo-gateway" in targets:
        gateways["apollo-gateway"] = start_apollo(stack, state, supergraph, token)
    if "hive-router" in targets:
        gateways["hive-router"] = start_hive_router(stack, state, supergraph, token)
    return gateways


def pids_of(pid_file: Path) -> list[int]:
    record = processes.read_pid_file(pid_file)
    return [record.pid] if record else []


def start_apollo(stack: ExitStack, state: Path, supergraph: Path, token: str) -> Target:
    port = free_port()
    env = {**os.environ, "SUPERGRAPH": str(supergraph), "GATEWAY_PORT": str(port)}
    url = f"http://{HOST}:{port}/"
    return start_process(
        stack, state, "apollo-gateway", ["node", "server.mjs"], APOLLO_DIR, env, url, token
    )


def start_hive_router(stack: ExitStack, state: Path, supergraph: Path, token: str) -> Target:
    folder = state / "hive-router"
    folder.mkdir(parents=True, exist_ok=True)
    # The services' HS256 secret as a JSON Web Key: the router verifies tokens as they do.
    secret = base64.urlsafe_b64encode(DEV_JWT_SECRET.encode()).rstrip(b"=").decode()
    jwks = {"keys": [{"kty": "oct", "alg": "HS256", "use": "sig", "k": secret}]}
    (folder / "jwks.json").write_text(json.dumps(jwks))
    (folder / "router.config.yaml").write_text(
        f"""# Written by benchmarks/card_gateway.py: the router set up as Hive Gateway is.
supergraph:
  source: file
  path: {supergraph}
log:
  level: warn
laboratory:
  enabled: false
jwt:
  enabled: true
  require_authentication: true
  allowed_algorithms: [HS256]
  audiences: [{JWT_AUDIENCE}]
  jwks_providers:
    - source: file
      path: jwks.json
headers:
  all:
    request:
      - propagate:
          named: Authorization
"""
    )
    port = free_port()
    env = {
        **os.environ,
        "ROUTER_CONFIG_FILE_PATH": str(folder / "router.config.yaml"),
        "HOST": HOST,
        "PORT": str(port),
    }
    url = f"http://{HOST}:{port}/graphql"
    return start_process(
        stack, state, "hive-router", [str(HIVE_ROUTER_BINARY)], folder, env, url, token
    )


def start_process(
    stack: ExitStack,
    state: Path,
    name: str,
    argv: list[str],
    cwd: Path,
    env: dict[str, str],
    url: str,
    token: str,
) -> Target:
    pid_file, log_file = state / "run" / f"{name}.pid", state / "logs" / f"{name}.log"
    process = processes.spawn(argv, log_file=log_file, pid_file=pid_file, env=env, cwd=cwd)
    stack.callback(processes.stop, pid_file)
    processes.wait_ready(
        name,
        lambda: answers_typename(url, token),
        process=process,
        log_file=log_file,
        timeout=60,
    )
    say(f"{name} ready at {url}")
    return Target(name, url, lambda: pids_of(pid_file))


def answers_typename(url: str, token: str) -> str | None:
    try:
        response = httpx.post(
            url,
            json={"query": "{ __typename }"},
            headers={"authorization": f"Bearer {token}"},
            timeout=2.0,
        )
    except httpx.HTTPError as exc:
        return repr(exc)
    return None if response.status_code == 200 else f"HTTP {response.status_code}"


# -- the data: a seeded salon, and full cards for a few of its clients ---------------------


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
            staff("query($p: String!) { customerByPhone(phone: $p) { id } }", p=client.phone)[
                "customerByPhone"
            ]["id"]
            for client in chosen
        ]
        secret = staff(
            "mutation($o: String!, $p: String!) "
            "{ createPosApiKey(outletId: $o, posId: $p) { secret } }",
            o=data.OUTLETS[0][0],
            p=data.OUTLETS[0][1],
        )["createPosApiKey"]["secret"]
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


def base_url(system: RunningSystem, service: str) -> str:
    return system.service_urls[service].removesuffix("/graphql")


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


RECEIPTS_PER_CARD = 20
FILLING_WORKERS = 8  # cards filled at once
ACCRUALS_PER_CARD = 20
MESSAGES_PER_CARD = 50


def fill_card(
    system: RunningSystem,
    staff: seeding.Staff,
    pos_secret: str,
    index: int,
    customer: str,
    client: data.Client,
) -> None:
    """20 purchases at the till (POS HTTP), 20 manual accruals and 50 messages."""
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
    for number in range(ACCRUALS_PER_CARD):
        staff(
            "mutation($c: ID!, $a: Decimal!, $m: String) "
            "{ accrueBonuses(customerId: $c, amount: $a, comment: $m) { id } }",
            c=customer,
            a="50.00",
            m=f"Бонус за визит №{number + 1}",
        )
    for number in range(MESSAGES_PER_CARD):
        text = data.MESSAGES[number % len(data.MESSAGES)]
        staff(
            "mutation($c: ID!, $t: String!) { sendMessage(customerId: $c, text: $t) { id } }",
            c=customer,
            t=text,
        )


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


# -- what each target is sent ---------------------------------------------------------------


def write_scenarios(
    state: Path,
    system: RunningSystem,
    gateways: Mapping[str, Target],
    targets: Sequence[str],
    token: str,
    customers: Sequence[str],
) -> dict[str, Path]:
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
    """The card as the query plan fetches it: 3 stages, 6 subgraph requests.

    Stage 1 asks customers for the customer; stage 2 asks receipts, bonuses and messaging
    for their fields of that Customer entity; stage 3 asks bonuses for the bonuses of the 20
    receipts and receipts for the numbers of the receipts the NPS answers name.

    The representations of stage 3 (the receipts' ids) come from stage 2's answers, asked
    once here: the data does not change during the run, so every card sends the same.
    """
    urls = system.service_urls
    me = [{"__typename": "Customer", "id": customer}]
    stage_two = [
        request(urls["receipts"], RECEIPTS_PART, representations=me),
        request(urls["bonuses"], BONUSES_PART, representations=me),
        request(urls["messaging"], MESSAGING_PART, representations=me),
    ]
    receipts = post(stage_two[0], token)["_entities"][0]["receipts"]["edges"]
    answers = post(stage_two[2], token)["_entities"][0]["nps"]["responses"]
    bought = [{"__typename": "Receipt", "id": edge["node"]["id"]} for edge in receipts]
    rated = [
        {"__typename": "Receipt", "id": answer["receipt"]["id"]}
        for answer in answers
        if answer["receipt"]
    ]
    stage_three = [request(urls["bonuses"], RECEIPT_BONUSES_PART, representations=bought)]
    if rated:
        stage_three.append(request(urls["receipts"], RECEIPT_NUMBERS_PART, representations=rated))
    stage_one = [request(urls["customers"], CUSTOMERS_PART, id=customer)]
    return {"stages": [stage_one, stage_two, stage_three]}


def post(item: Mapping[str, str], token: str) -> dict[str, Any]:
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


# -- measuring -------------------------------------------------------------------------------


def count_subgraph_requests(
    system: RunningSystem, gateways: Mapping[str, Target], token: str, customer: str
) -> None:
    """Prints how many requests each subgraph gets for one card through each gateway."""
    for name, target in gateways.items():
        if not target.url:
            continue
        before = posts_answered(system)
        post(request(target.url, CARD, id=customer), token)
        after = posts_answered(system)
        counts = ", ".join(f"{service} {after[service] - before[service]:.0f}" for service in after)
        say(f"{name} sends for one card: {counts}")
    planned = direct_card(system, token, customer)["stages"]
    by_url = {url: service for service, url in system.service_urls.items()}
    sent = [by_url[item["url"]] for stage in planned for item in stage]
    counts = ", ".join(f"{service} {sent.count(service)}" for service in SERVICES)
    say(f"direct sends for one card: {counts} (in {len(planned)} stages)")


def posts_answered(system: RunningSystem) -> dict[str, float]:
    """POST requests each service has answered, from its Prometheus metrics."""
    counts = {}
    for service in SERVICES:
        text = httpx.get(f"{base_url(system, service)}/metrics", timeout=10.0).text
        counts[service] = sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("clientcard_http_requests_total{") and 'method="POST"' in line
        )
    return counts


def service_pids(system: RunningSystem) -> dict[str, list[int]]:
    return {name: pids_of(system.state_dir / "run" / f"{name}.pid") for name in SERVICES}


IDLE_SECONDS = 5.0


def idle_services_cpu(system: RunningSystem) -> dict[str, float]:
    """Cores each service uses with no request (outbox relay, consumers, jobs polling)."""
    groups = service_pids(system)
    before = cpu_seconds(groups)
    time.sleep(IDLE_SECONDS)
    after = cpu_seconds(groups)
    idle = {name: (after[name] - before[name]) / IDLE_SECONDS for name in groups}
    say(f"idle services use {sum(idle.values()):.3f} cores")
    return idle


def measure(
    options: argparse.Namespace,
    loader: Path,
    scenarios: Mapping[str, Path],
    gateways: Mapping[str, Target],
    system: RunningSystem,
    idle: Mapping[str, float],
) -> list[Measurement]:
    results = []
    for concurrency in options.concurrencies:
        for name, scenario in scenarios.items():
            groups = {GATEWAY: gateways[name].pids(), **service_pids(system)}
            cpu_before, machine_before = cpu_seconds(groups), cpu_times()
            requests_before = posts_answered(system)
            started = time.monotonic()
            outcome = subprocess.run(
                [
                    str(loader),
                    *("-scenario", str(scenario)),
                    f"-concurrency={concurrency}",
                    f"-duration={options.duration}s",
                    f"-warmup={options.warmup}s",
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            seconds = time.monotonic() - started
            cpu_after, machine_after = cpu_seconds(groups), cpu_times()
            requests = sum(posts_answered(system).values()) - sum(requests_before.values())
            used = {group: cpu_after[group] - cpu_before[group] for group in groups}
            result = Measurement(
                target=name,
                concurrency=concurrency,
                loader=json.loads(outcome.stdout),
                seconds=seconds,
                gateway_cpu=used.pop(GATEWAY),
                # Less what the services' background loops would have used anyway.
                services_cpu={
                    service: max(spent - idle[service] * seconds, 0.0)
                    for service, spent in used.items()
                },
                busy_share=busy_share(machine_before, machine_after),
                subgraph_requests=requests,
            )
            results.append(result)
            say(summary_line(result))
    return results


GATEWAY = "gateway"


def cpu_times() -> tuple[int, int]:
    """The machine's idle and total CPU time so far, in ticks (every process)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return fields[3] + fields[4], sum(fields[:8])  # idle + iowait, everything but guests


def busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    total = after[1] - before[1]
    return 1 - (after[0] - before[0]) / total if total else 0.0


def cpu_seconds(groups: Mapping[str, Sequence[int]]) -> dict[str, float]:
    """User and system CPU seconds of each group's processes and all their descendants."""
    children: dict[int, list[int]] = {}
    spent: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        spent[pid] = int(fields[11]) + int(fields[12])
    seconds = {}
    for group, roots in groups.items():
        ticks, stack = 0, list(roots)
        while stack:
            pid = stack.pop()
            ticks += spent.get(pid, 0)
            stack.extend(children.get(pid, []))
        seconds[group] = ticks / os.sysconf("SC_CLK_TCK")
    return seconds


# -- the report ------------------------------------------------------------------------------


def per_card(amount: float, result: Measurement) -> float:
    # CPU and requests are counted over the whole run: divided by the whole run's cards.
    cards = result.loader["cards_with_warmup"]
    return amount / cards if cards else float("nan")


def per_card_ms(seconds: float, result: Measurement) -> float:
    return 1000 * per_card(seconds, result)


def summary_line(result: Measurement) -> str:
    loader = result.loader
    latency = loader["latency_ms"]
    line = (
        f"{result.target} c={result.concurrency}: {loader['cards_per_second']:.0f} cards/s, "
        f"p50 {latency['p50']:.1f} ms, p99 {latency['p99']:.1f} ms, errors {loader['errors']}"
    )
    if loader.get("first_error"):
        line += f" (first: {loader['first_error'][:300]})"
    return line


def report(
    results: Sequence[Measurement], options: argparse.Namespace, idle: Mapping[str, float]
) -> None:
    print(
        f"\nFull card (20 receipts, 20 bonus operations, 50 messages), {options.cards} clients, "
        f"{options.duration:.0f} s per run after {options.warmup:.0f} s of warm-up; "
        f"{os.cpu_count()} cores; the idle services used {sum(idle.values()):.2f} cores "
        "(left out below).\n"
    )
    print(
        "| target | concurrency | cards/s | p50 ms | p90 ms | p99 ms | errors "
        "| subgraph requests/card | gateway CPU ms/card | services CPU ms/card "
        "| load generator CPU ms/card | machine busy |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        loader, latency = result.loader, result.loader["latency_ms"]
        generator = loader["loader_cpu_seconds"]
        print(
            f"| {result.target} | {result.concurrency} | {loader['cards_per_second']:.0f} "
            f"| {latency['p50']:.1f} | {latency['p90']:.1f} | {latency['p99']:.1f} "
            f"| {loader['errors']} "
            f"| {per_card(result.subgraph_requests, result):.2f} "
            f"| {per_card_ms(result.gateway_cpu, result):.2f} "
            f"| {per_card_ms(sum(result.services_cpu.values()), result):.2f} "
            f"| {per_card_ms(generator, result):.2f} "
            f"| {100 * result.busy_share:.0f} % |"
        )
    print_services(results)
    print_overheads(results)
    if options.json:
        options.json.write_text(
            json.dumps(
                {
                    "duration": options.duration,
                    "warmup": options.warmup,
                    "cards": options.cards,
                    "clients": options.clients,
                    "cores": os.cpu_count(),
                    "idle_services_cores": idle,
                    "results": [
                        {
                            "target": result.target,
                            "concurrency": result.concurrency,
                            "loader": result.loader,
                            "seconds": result.seconds,
                            "gateway_cpu_seconds": result.gateway_cpu,
                            "services_cpu_seconds": result.services_cpu,
                            "machine_busy_share": result.busy_share,
                            "subgraph_requests": result.subgraph_requests,
                        }
                        for result in results
                    ],
                },
                indent=2,
            )
        )


def print_services(results: Sequence[Measurement]) -> None:
    print("\nThe services' CPU per card (ms), net of their idle use.\n")
    print(f"| target | concurrency | {' | '.join(SERVICES)} |")
    print(f"|---|---:|{'---:|' * len(SERVICES)}")
    for result in results:
        cells = " | ".join(
            f"{per_card_ms(result.services_cpu[service], result):.2f}" for service in SERVICES
        )
        print(f"| {result.target} | {result.concurrency} | {cells} |")


def print_overheads(results: Sequence[Measurement]) -> None:
    """Each gateway against the subgraphs reached directly, at the same concurrency."""
    direct = {result.concurrency: result.loader for result in results if result.target == "direct"}
    if not direct:
        return
    print(
        "\nThe gateways' overhead: throughput as a share of `direct` "
        "and p50/p99 as multiples of `direct`'s.\n"
    )
    print("| target | concurrency | throughput | p50 | p99 |")
    print("|---|---:|---:|---:|---:|")
    for result in results:
        base = direct.get(result.concurrency)
        if result.target in DIRECT or not base or not base["cards"] or not result.loader["cards"]:
            continue
        ours = result.loader
        print(
            f"| {result.target} | {result.concurrency} "
            f"| {ours['cards_per_second'] / base['cards_per_second']:.2f} "
            f"| {ours['latency_ms']['p50'] / base['latency_ms']['p50']:.2f} "
            f"| {ours['latency_ms']['p99'] / base['latency_ms']['p99']:.2f} |"
        )


if __name__ == "__main__":
    main()
