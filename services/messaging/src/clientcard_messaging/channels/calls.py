"""How every real provider's calls are made: a batch sent concurrently, each call paced
so an account never goes over its provider's requests a second, and the small integer
keys that providers use to recognise a retried message.

The pace is per account (a VK community, a WhatsApp phone number, an SMS login) and per
process: the mailing's schedule already spreads its messages across replicas, and the
pace keeps one process's batch (manual messages, retries) within the limit too.
"""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import httpx

from clientcard_messaging.channels.base import Outgoing, SendResult


@dataclass(slots=True)
class Pace:
    """Spaces the starts of an account's calls at least `gap` seconds apart.

    A call takes the next start only when that moment has really come: a busy event loop
    that wakes several waiting calls late lets one go and puts the others back to sleep,
    rather than releasing them all at once in a burst the provider counts in one second.
    """

    gap: float
    next_at: float = field(default=0.0)

    async def wait(self) -> None:
        # A moment to wait for, not an event: another call may take it first.
        while (delay := self.next_at - time.monotonic()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(delay)
        self.next_at = time.monotonic() + self.gap


_PACES: dict[str, Pace] = {}
# Calls are started at 95% of the rate: network delays shift when each call reaches the
# provider, and a call held back ~50 ms would otherwise put one too many into the second
# the provider counts.
HEADROOM = 0.95


def pace_for(account: str, per_second: float) -> Pace:
    """The one pace of an account in this process (a new one when its rate changed)."""
    gap = 1.0 / (per_second * HEADROOM)
    pace = _PACES.get(account)
    if pace is None or pace.gap != gap:
        pace = _PACES[account] = Pace(gap)
    return pace


SendOne = Callable[[httpx.AsyncClient, Outgoing], Awaitable[SendResult]]


async def send_each(
    batch: Sequence[Outgoing],
    send_one: SendOne,
    *,
    timeout: float,  # noqa: ASYNC109 - the HTTP client's per-call timeout, not the batch's
    concurrency: int,
    pace: Pace | None = None,
) -> list[SendResult]:
    """One call per message, at most `concurrency` at a time, each started on the pace."""
    if not batch:
        return []
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=timeout) as client:

        async def one(item: Outgoing) -> SendResult:
            async with gate:
                if pace is not None:
                    await pace.wait()
                return await send_one(client, item)

        return list(await asyncio.gather(*(one(item) for item in batch)))


class PacedProvider:
    """What every real provider shares: a batch sent one call a message, `concurrency` at a
    time, within the account's rate (`pace_key` names the account, never its secret).
    A provider says how one message is sent (`_send_one`)."""

    def __init__(
        self, pace_key: str, per_second: float, *, timeout: float, concurrency: int
    ) -> None:
        self._timeout = timeout
        self._concurrency = concurrency
        self.messages_per_second = per_second
        self._pace = pace_for(pace_key, per_second)

    async def send(self, batch: Sequence[Outgoing]) -> list[SendResult]:
        return await send_each(
            batch,
            self._send_one,
            timeout=self._timeout,
            concurrency=self._concurrency,
            pace=self._pace,
        )

    async def _send_one(self, client: httpx.AsyncClient, item: Outgoing) -> SendResult:
        raise NotImplementedError


def int32_key(message_id: uuid.UUID) -> int:
    """A positive int32 derived from the message's id: the same on every retry of it, so
    a provider that deduplicates by such a key (VK's random_id, SMSC's id) sends a retried
    message that did reach it only once."""
    return int.from_bytes(message_id.bytes[:4], "big") & 0x7FFFFFFF
