"""What every provider stand-in shares: running it on a free local port, and keeping
count of each account's requests a second the way the provider limits them."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def serve(app: Starlette) -> AsyncIterator[str]:
    """Runs a provider's stand-in on a free local port; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@dataclass
class RateWindow:
    """An account's requests in the last second, as a provider counts them: a request
    beyond `per_second` is refused (and remembered); the busiest second seen is kept."""

    per_second: float
    over_limit: bool = False
    busiest: int = 0
    _recent: dict[str, deque[float]] = field(default_factory=dict)

    def admit(self, account: str) -> bool:
        """Count a request of the account now; False when it is over the limit."""
        now = time.monotonic()
        recent = self._recent.setdefault(account, deque())
        while recent and recent[0] <= now - 1.0:
            recent.popleft()
        recent.append(now)
        self.busiest = max(self.busiest, len(recent))
        if len(recent) > self.per_second:
            self.over_limit = True
            return False
        return True
