"""`clientcard-stack`: the whole platform on one machine, without Docker.

clientcard-stack up                     start what is not running, wait until ready
clientcard-stack down                   stop what `up` started
clientcard-stack status                 what runs, on which port, with which pid
clientcard-stack logs [name] [-f]       a component's log (all when no name)
clientcard-stack token --tenant T --role R [--subject S]
"""

import argparse
import contextlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from clientcard_devstack import gateway, observability, web
from clientcard_devstack.errors import StackError
from clientcard_devstack.processes import StopOutcome, tail
from clientcard_devstack.registry import COMPONENTS, DEMO_TENANT, HOST, KAFKA_PORT, SERVICE_PORTS
from clientcard_devstack.stack import DevStack
from clientcard_devstack.ui import LiveReporter

# Clients of the demo salon `up` seeds: enough for the list's filters and pages to mean
# something, few enough to seed in well under a minute.
DEMO_CLIENTS = 300

ROLES = ("OWNER", "MANAGER", "VIEWER")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clientcard-stack", description="Run the clientcard stack on this machine."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="start PostgreSQL, Kafka, the services and the gateway")
    commands.add_parser("down", help="stop everything `up` started")
    commands.add_parser("status", help="show what is running")
    logs = commands.add_parser("logs", help="show a component's log")
    logs.add_argument("name", nargs="?", choices=[c.name for c in COMPONENTS])
    logs.add_argument("-f", "--follow", action="store_true", help="keep printing new lines")
    logs.add_argument("-n", "--lines", type=int, default=40, help="lines to show (default 40)")
    token = commands.add_parser("token", help="print a development JWT")
    token.add_argument("--tenant", required=True)
    token.add_argument("--role", required=True, type=str.upper, choices=ROLES)
    token.add_argument("--subject", default="dev-user")
    card = commands.add_parser("card", help="print a customer's whole card, through the gateway")
    card.add_argument("--tenant", default=DEMO_TENANT)
    card.add_argument("--customer", help="the customer's id (default: the most revenue)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console()
    if args.command == "token":
        # Plain stdout, nothing else: meant for $(clientcard-stack token ...).
        print(_token(args.tenant, args.role, args.subject))
        return 0
    if args.command == "card":
        return _card(args.tenant, args.customer)
    stack = DevStack()
    if args.command == "up":
        return _up(stack, console)
    if args.command == "down":
        return _down(stack, console)
    if args.command == "status":
        return _status(stack, console)
    return _logs(stack, console, args.name, args.follow, args.lines)


def _token(tenant: str, role: str, subject: str) -> str:
    from clientcard_kit.auth import issue_dev_token

    return issue_dev_token(tenant=tenant, role=role, subject=subject)


def _up(stack: DevStack, console: Console) -> int:
    console.print(f"[bold]clientcard stack[/] — state in {stack.layout.root}")
    started = time.monotonic()
    with LiveReporter(console, [c.name for c in COMPONENTS]) as reporter:
        ok = stack.up(reporter)
    elapsed = time.monotonic() - started
    if not ok:
        console.print(
            f"[red]Not everything came up[/] ({elapsed:.1f} s). Logs: {stack.layout.logs}; "
            "`clientcard-stack down` stops what did."
        )
        return 1
    console.print(f"[green]Ready[/] in {elapsed:.1f} s.")
    if stack.complete():
        seeded = _seed_demo(console)
        if seeded is not None:
            return seeded
    _print_endpoints(stack, console)
    return 0


def _seed_demo(console: Console) -> int | None:
    """Fill the demo tenant when it is empty; an exit code if that failed."""
    from clientcard_devstack.demo import seeding
    from clientcard_devstack.demo.data import salon

    token = _token(DEMO_TENANT, "OWNER", "demo-seed")
    endpoints = seeding.Endpoints(
        gateway=gateway.GRAPHQL_URL,
        receipts=f"http://{HOST}:{SERVICE_PORTS['receipts']}",
        messaging=f"http://{HOST}:{SERVICE_PORTS['messaging']}",
        kafka_bootstrap_servers=f"{HOST}:{KAFKA_PORT}",
    )
    staff = seeding.Staff(endpoints.gateway, token)
    try:
        if seeding.is_seeded(staff):
            return None
    finally:
        staff.close()
    started = time.monotonic()
    console.print(f"Seeding the demo tenant {DEMO_TENANT!r} through the services' own paths:")
    try:
        count = seeding.seed(
            endpoints,
            DEMO_TENANT,
            token,
            salon(DEMO_CLIENTS),
            progress=lambda step: console.print(f"  {step}", highlight=False),
        )
    except (seeding.GraphQLError, StackError) as failed:
        console.print(f"[red]Seeding the demo tenant failed:[/] {failed}", highlight=False)
        return 1
    console.print(f"[green]Seeded[/] {count} clients in {time.monotonic() - started:.1f} s.")
    return None


CARD_QUERY = Path("docs") / "examples" / "card.graphql"
TOP_CLIENT = (
    "{ customers(first: 1, orderBy: {field: REVENUE, direction: DESC}) { edges { node { id } } } }"
)


def _card(tenant: str, customer: str | None) -> int:
    """The card query of docs/examples/card.graphql for one customer, printed as JSON."""
    import json

    import httpx

    from clientcard_devstack.paths import repo_root

    headers = {"authorization": f"Bearer {_token(tenant, 'VIEWER', 'card-viewer')}"}

    def ask(query: str, **variables: object) -> dict[str, Any]:
        response = httpx.post(
            gateway.GRAPHQL_URL,
            json={"query": query, "variables": variables},
            headers=headers,
            timeout=30,
        )
        answer: dict[str, Any] = response.json()
        return answer

    try:
        if customer is None:
            top = ask(TOP_CLIENT)
            edges = ((top.get("data") or {}).get("customers") or {}).get("edges") or []
            if not edges:
                print(f"tenant {tenant!r} has no customers yet", file=sys.stderr)
                return 1
            customer = edges[0]["node"]["id"]
        answer = ask((repo_root() / CARD_QUERY).read_text(), id=customer)
    except httpx.HTTPError as exc:
        print(f"the gateway at {gateway.GRAPHQL_URL} did not answer ({exc}): run `make up`")
        return 1
    with contextlib.suppress(BrokenPipeError):  # `make card | head` closes the pipe early
        print(json.dumps(answer, ensure_ascii=False, indent=2))
    return 0 if not answer.get("errors") else 1


def _print_endpoints(stack: DevStack, console: Console) -> None:
    endpoints: list[tuple[str, str]] = []
    running = {item.component.name for item in stack.status() if item.state == "running"}
    if "web" in running:
        endpoints.append(("web app", f"{web.URL}/clients"))
    if "gateway" in running:
        endpoints.append(("gateway", gateway.GRAPHQL_URL))
    for name in stack.present_services():
        endpoints.append((name, f"http://{HOST}:{SERVICE_PORTS[name]}/graphql"))
    if "prometheus" in running:
        endpoints.append(("prometheus", observability.PROMETHEUS_URL))
    if "traces" in running:
        endpoints.append(("traces", observability.TRACES_URL))
    endpoints.append(("postgres", stack.postgres.settings.app_url("<service>")))
    endpoints.append(("kafka", f"{HOST}:{KAFKA_PORT}"))
    console.print("\n[bold]Endpoints[/]")
    for name, url in endpoints:
        # soft_wrap: long URLs stay whole, to be copied.
        console.print(f"  {name:<10} {url}", soft_wrap=True, highlight=False)
    token = _token(DEMO_TENANT, "OWNER", "dev-user")
    console.print(f"\n[bold]Development token[/] (tenant {DEMO_TENANT!r}, role OWNER):")
    console.print(token, soft_wrap=True, highlight=False)
    console.print("Use it as: Authorization: Bearer <token>", highlight=False)
    console.print(
        f"\n[bold]GraphiQL[/]: {gateway.GRAPHQL_URL} in a browser, with the header "
        "Authorization: Bearer <token>",
        soft_wrap=True,
        highlight=False,
    )
    console.print(
        "[bold]The whole card[/] of the client with the most revenue: make card "
        f"(the query is {CARD_QUERY})",
        highlight=False,
    )
    console.print("\n[bold]Try[/] (the first page of the client list):")
    query = (
        '{"query": "{ customers(first: 5) { totalCount edges { node { id firstName phone } } } }"}'
    )
    console.print(
        f"curl -s {gateway.GRAPHQL_URL} -H 'content-type: application/json' "
        f"-H \"authorization: Bearer $(make -s token)\" -d '{query}'",
        soft_wrap=True,
        highlight=False,
        markup=False,
    )


def _down(stack: DevStack, console: Console) -> int:
    for name, outcome in stack.down():
        if outcome is StopOutcome.NOT_RUNNING:
            continue
        colour = "yellow" if outcome is not StopOutcome.STOPPED else "green"
        console.print(f"[{colour}]{name}[/]: {outcome.value}")
    console.print("Stopped.")
    return 0


def _status(stack: DevStack, console: Console) -> int:
    table = Table(title=f"clientcard stack ({stack.layout.root})")
    for column in ("component", "state", "port", "pid", "log"):
        table.add_column(column)
    colours = {"running": "green", "stopped": "yellow", "not available": "dim"}
    for status in stack.status():
        state = f"[{colours[status.state]}]{status.state}[/]"
        pid = str(status.pid) if status.pid else ""
        table.add_row(
            status.component.name, state, str(status.component.port), pid, str(status.log_file)
        )
    console.print(table)
    return 0


def _logs(stack: DevStack, console: Console, name: str | None, follow: bool, lines: int) -> int:
    names = [name] if name else [c.name for c in COMPONENTS]
    files = {n: stack.layout.log_file(n) for n in names if stack.layout.log_file(n).is_file()}
    if not files:
        console.print(f"No log yet in {stack.layout.logs}.")
        return 1
    for label, path in files.items():
        if len(files) > 1:
            console.rule(label)
        text = tail(path, lines)
        if text:
            print(text)
    if follow:
        _follow(files, prefix=len(files) > 1)
    return 0


def _follow(files: dict[str, Path], *, prefix: bool) -> None:
    """Print what is appended to the logs until Ctrl-C, like `tail -f`."""
    offsets = {name: path.stat().st_size for name, path in files.items()}
    try:
        while True:
            for name, path in files.items():
                offsets[name] = _print_new(name, path, offsets[name], prefix)
            time.sleep(0.3)
    except KeyboardInterrupt:
        return


def _print_new(name: str, path: Path, offset: int, prefix: bool) -> int:
    try:
        size = path.stat().st_size
    except OSError:
        return offset
    offset = 0 if size < offset else offset  # truncated or replaced
    if size == offset:
        return offset
    with path.open("rb") as handle:
        handle.seek(offset)
        chunk = handle.read().decode(errors="replace")
    for line in chunk.splitlines():
        print(f"{name} | {line}" if prefix else line, flush=True)
    return size


if __name__ == "__main__":
    sys.exit(main())
