"""Helpers for tests of services built on the kit: waiting for events to flow."""

import asyncio
from collections.abc import Awaitable, Callable

DEFAULT_WAIT_SECONDS = 20.0


async def eventually(
    check: Callable[[], Awaitable[bool]],
    within: float = DEFAULT_WAIT_SECONDS,
    what: str = "the condition",
) -> None:
    """Poll `check` until it holds; fail after `within` seconds, naming what was awaited."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"{what} did not hold within {within:.0f} s")
        await asyncio.sleep(0.1)
