"""Run a coroutine to completion from synchronous code, whatever loop is around.

The launcher is synchronous, and the pytest fixtures are called while pytest-asyncio owns
the thread's event loop; `asyncio.run` there would replace (and then unset) that loop. A
worker thread with a loop of its own avoids both problems.
"""

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="devstack-async") as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()
