"""The back office's Clients section in a real browser, against the whole real stack.

The app is built (`make web-build`) and served by the same server `make up` runs, in front
of this run's gateway. A salon is set up through the API, then the Playwright suite in
`web/e2e/` drives Debian's Chromium through the list, its bulk actions and the card; a
second run does it with the messaging service stopped, a third cancels a bulk job while
the bonuses service is stopped. The screenshots of the list and the card are written to
docs/screenshots/ for the README.
"""

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clientcard_devstack import processes
from clientcard_devstack.paths import repo_root
from clientcard_devstack.wholestack import HOST, RunningSystem, free_port
from clientcard_kit.auth import issue_dev_token

# The whole stack starts for this module and a browser walks through the app:
# slower than one API call, hence a longer limit than the suite's default.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

WEB = repo_root() / "web"
SCREENSHOTS = repo_root() / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# One more than a page of the list, so that there are two pages.
CLIENTS = 55


@pytest.fixture(scope="module")
def web_app(system: RunningSystem) -> Iterator[str]:
    if not (WEB / "dist" / "index.html").is_file():
        pytest.fail("web/dist is not built: run `make web-build`")
    if not (WEB / "node_modules" / ".bin" / "playwright").exists():
        pytest.fail("the web app's packages are not installed: run `make web-install`")
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    port = free_port()
    pid_file = system.state_dir / "run" / "web.pid"
    log_file = system.state_dir / "logs" / "web.log"
    command = [sys.executable, "-m", "clientcard_devstack.webapp", "--host", HOST]
    command += ["--port", str(port), "--gateway", system.gateway_url, "--environment", "test"]
    process = processes.spawn(command, log_file=log_file, pid_file=pid_file)
    try:
        base = f"http://{HOST}:{port}"
        processes.wait_ready(
            "web",
            lambda: _answers(f"{base}/config.json"),
            process=process,
            log_file=log_file,
            timeout=60,
        )
        yield base
    finally:
        processes.stop(pid_file)


@pytest.fixture(scope="module")
def salon(as_staff: Any) -> dict[str, str]:
    """A salon of CLIENTS clients, one of whom (Алина) the card tests work on."""
    tenant = f"web-{uuid.uuid4().hex[:8]}"
    owner = as_staff(tenant, "OWNER")
    prefix = f"+7925{uuid.uuid4().int % 10_000:04d}"
    for number in range(1, CLIENTS):
        owner(
            "mutation($p: String!, $n: String!) { registerCustomer(input: "
            "{phone: $p, firstName: $n, source: MANUAL}) { id } }",
            p=f"{prefix}{number:03d}",
            n=f"Клиент {number:02d}",
        )
    phone = f"+7916{uuid.uuid4().int % 10_000_000:07d}"
    customer = owner(
        """mutation($p: String!) { registerCustomer(input: {
            phone: $p, firstName: "Алина", lastName: "Соколова", gender: FEMALE,
            source: POS, outletId: "center",
            questionnaire: [{question: "Как вы о нас узнали?", answer: "От друзей"}]
        }) { id } }""",
        p=phone,
    )["registerCustomer"]["id"]
    segment = owner('mutation { createSegment(name: "VIP") { id } }')["createSegment"]["id"]
    # Empty until the list's bulk action puts the clients of a filter in it.
    owner('mutation { createSegment(name: "Рассылка") { id } }')
    owner(
        "mutation($c: ID!, $s: [ID!]!) { assignSegments(customerId: $c, segmentIds: $s) { id } }",
        c=customer,
        s=[segment],
    )
    for channel, address in (("TELEGRAM", "880001"), ("WHATSAPP", phone)):
        owner(
            "mutation($c: ID!, $ch: Channel!, $a: String!) "
            "{ linkMessenger(customerId: $c, channel: $ch, address: $a) { channel } }",
            c=customer,
            ch=channel,
            a=address,
        )
    return {
        "WEB_OWNER_TOKEN": issue_dev_token(tenant=tenant, role="OWNER", subject="anna@salon"),
        "WEB_VIEWER_TOKEN": issue_dev_token(tenant=tenant, role="VIEWER", subject="olga@salon"),
        "WEB_CUSTOMER_ID": customer,
        "WEB_CUSTOMER_NAME": "Алина Соколова",
        "WEB_CUSTOMER_PHONE": phone,
        "WEB_CLIENTS": str(CLIENTS),
        "WEB_SEGMENT": "VIP",
        "WEB_BULK_SEGMENT": "Рассылка",
    }


def run_playwright(web_app: str, salon: dict[str, str], *selection: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        **salon,
        "WEB_URL": web_app,
        "WEB_SCREENSHOTS": str(SCREENSHOTS),
        "CHROMIUM": CHROMIUM,
        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1",
        "CI": "1",
    }
    result = subprocess.run(
        [str(WEB / "node_modules" / ".bin" / "playwright"), "test", *selection],
        cwd=WEB,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    print(result.stdout[-8000:])
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-4000:]


def test_the_list_and_the_card_in_a_browser(web_app: str, salon: dict[str, str]) -> None:
    run_playwright(web_app, salon, "--grep-invert", "@partial|@bonusesStopped")


def test_a_stopped_service_leaves_the_rest_of_the_card_working(
    system: RunningSystem, web_app: str, salon: dict[str, str]
) -> None:
    system.stop_service("messaging")
    try:
        run_playwright(web_app, salon, "--grep", "@partial")
    finally:
        system.start_service("messaging")


def test_a_bulk_job_waiting_on_a_stopped_service_is_cancelled_from_the_list(
    system: RunningSystem, web_app: str, salon: dict[str, str]
) -> None:
    # Bonuses confirms each accrual of the job: while it is stopped the job stays running,
    # so the merchant's cancel always finds it unfinished.
    system.stop_service("bonuses")
    try:
        run_playwright(web_app, salon, "--grep", "@bonusesStopped")
    finally:
        system.start_service("bonuses")


def _answers(url: str) -> str | None:
    try:
        response = httpx.get(url, timeout=2.0)
    except httpx.HTTPError as exc:
        return repr(exc)
    return None if response.status_code == 200 else f"{response.status_code}"
