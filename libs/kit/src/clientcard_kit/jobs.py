"""Periodic work inside a service: the expiry of bonus lots, scheduled mailings, send queues.

A `PeriodicJob` calls its `tick` until the service stops. A tick that did some work is
called again at once (a backlog drains at full speed); a tick that found nothing waits
for the interval. A tick that fails is logged and counted, and the job carries on.

Every replica of a service runs the same jobs, so a tick must be safe when it runs in
several processes at once. Two ways, both in PostgreSQL:
- claim rows with `SELECT … FOR UPDATE SKIP LOCKED`, so replicas share the work;
- `holds_job_lock(session, name)` at the start of the tick's transaction, so only one
  replica does that tick's work at a time (the lock ends with the transaction).
"""

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_kit.observability import metrics
from clientcard_kit.settings import ServiceSettings

if TYPE_CHECKING:
    from clientcard_kit.runtime import ServiceRuntime

log = logging.getLogger(__name__)

# The settings the tick reads: a service's own (`ServiceRuntime[ReceiptsSettings]`) or,
# for the kit's jobs, any service's.
SettingsT = TypeVar("SettingsT", bound=ServiceSettings)

_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:key)")


@dataclass(frozen=True, slots=True)
class PeriodicJob(Generic[SettingsT]):
    name: str
    # Returns how much work the tick did; 0 means "nothing to do, wait for the interval".
    tick: Callable[["ServiceRuntime[SettingsT]"], Awaitable[int]]
    interval_seconds: float = 1.0

    @property
    def __name__(self) -> str:  # how the runtime names the job's task in logs
        return self.name

    async def __call__(self, runtime: "ServiceRuntime[SettingsT]") -> None:
        service = runtime.settings.service_name
        while not runtime.stopping.is_set():
            done = await self.run_once(runtime, service)
            if done:
                await asyncio.sleep(0)  # let requests and consumers in between two ticks
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(runtime.stopping.wait(), timeout=self.interval_seconds)

    async def run_once(self, runtime: "ServiceRuntime[SettingsT]", service: str) -> int:
        try:
            done = await self.tick(runtime)
        except asyncio.CancelledError:
            raise
        except Exception:
            metrics.JOB_FAILURES.labels(service, self.name).inc()
            log.exception("job %s failed; it runs again in %ss", self.name, self.interval_seconds)
            return 0
        if done:
            metrics.JOB_WORK_DONE.labels(service, self.name).inc(done)
        return done


def job_lock_key(name: str) -> int:
    """A stable 63-bit advisory lock key for a job name (the same in every replica)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big") >> 1


async def holds_job_lock(session: AsyncSession, name: str) -> bool:
    """Take the job's lock for the rest of this transaction; False if another replica has it."""
    result = await session.execute(_TRY_LOCK, {"key": job_lock_key(name)})
    return bool(result.scalar_one())
