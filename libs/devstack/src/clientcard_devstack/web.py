"""The back office's web app's place in the stack: served on port 3000 by
`clientcard_devstack.webapp` once the gateway is up, from the build in `web/dist`
(`make web-build`, which `make up` runs first)."""

import sys
from pathlib import Path

from clientcard_devstack.gateway import GRAPHQL_URL
from clientcard_devstack.registry import HOST, WEB_PORT

URL = f"http://{HOST}:{WEB_PORT}"
READY_URL = f"{URL}/config.json"


def is_built(repo: Path) -> bool:
    return (repo / "web" / "dist" / "index.html").is_file()


def web_command(repo: Path) -> list[str]:
    """How to serve the built app in development, with /graphql passed to the gateway."""
    dist = repo / "web" / "dist"
    return [
        *(sys.executable, "-m", "clientcard_devstack.webapp", "--host", HOST),
        *("--port", str(WEB_PORT), "--gateway", GRAPHQL_URL, "--dist", str(dist)),
        *("--environment", "development"),
    ]
