"""The supergraph every gateway serves, composed from each service's SDL of its current code
by the project's own `gateway/compose.mjs`."""

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from card.system import ROOT
from clientcard_contracts.topics import SERVICES
from clientcard_devstack.wholestack import RunningSystem


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
    """The running services' URLs, as `compose.mjs` reads them (`CUSTOMERS_URL`, …)."""
    return {f"{name.upper()}_URL": url for name, url in system.service_urls.items()}
