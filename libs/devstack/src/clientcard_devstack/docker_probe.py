"""Is a Docker engine reachable? Asked once per test session, in at most a few seconds.

The engine's `/_ping` is asked directly (over its Unix socket or TCP), which is quicker
than building a client and fails fast when there is no engine.
"""

import os
from pathlib import Path

import httpx

_DEFAULT_SOCKETS = (
    Path("/var/run/docker.sock"),
    Path.home() / ".docker" / "run" / "docker.sock",
)


def _ping(base_url: str, transport: httpx.HTTPTransport | None, timeout: float) -> bool:
    try:
        with httpx.Client(base_url=base_url, transport=transport, timeout=timeout) as client:
            return client.get("/_ping").status_code == 200
    except httpx.HTTPError:
        return False


def docker_reachable(timeout: float = 2.0) -> bool:
    configured = os.environ.get("DOCKER_HOST", "")
    if configured.startswith("unix://"):
        sockets: tuple[Path, ...] = (Path(configured.removeprefix("unix://")),)
    elif configured.startswith("tcp://"):
        return _ping("http://" + configured.removeprefix("tcp://"), None, timeout)
    elif configured:
        # ssh:// or TLS setups: trust the developer who configured it; testcontainers will
        # say clearly if it cannot connect.
        return True
    else:
        sockets = _DEFAULT_SOCKETS
    return any(
        _ping("http://docker", httpx.HTTPTransport(uds=str(socket)), timeout)
        for socket in sockets
        if socket.exists()
    )
