"""Periodic jobs: backlog drained, failures survived, one replica at a time under the lock."""

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from clientcard_kit.db import Database
from clientcard_kit.jobs import PeriodicJob, holds_job_lock, job_lock_key


def fake_runtime() -> Any:
    # The job reads only these two attributes of the runtime.
    return SimpleNamespace(
        stopping=asyncio.Event(), settings=SimpleNamespace(service_name="kit-tests")
    )


def test_lock_key_is_stable_and_fits_a_bigint() -> None:
    assert job_lock_key("bonus-expiry") == job_lock_key("bonus-expiry")
    assert job_lock_key("bonus-expiry") != job_lock_key("broadcasts")
    assert 0 <= job_lock_key("bonus-expiry") < 2**63


async def test_backlog_is_drained_without_waiting_then_the_job_idles() -> None:
    runtime = fake_runtime()
    backlog = [5, 3, 0, 0]
    calls: list[int] = []

    async def tick(_: Any) -> int:
        calls.append(len(calls))
        return backlog.pop(0) if backlog else 0

    job = PeriodicJob("drain", tick, interval_seconds=30)
    task = asyncio.create_task(job(runtime))
    await asyncio.sleep(0.2)
    # Two ticks with work and one that found none, then it waits for the long interval.
    assert len(calls) == 3
    runtime.stopping.set()
    await asyncio.wait_for(task, timeout=2)


async def test_a_failing_tick_does_not_end_the_job() -> None:
    runtime = fake_runtime()
    outcomes: list[str] = []

    async def tick(_: Any) -> int:
        if not outcomes:
            outcomes.append("failed")
            raise RuntimeError("database went away")
        outcomes.append("ran")
        runtime.stopping.set()
        return 0

    await asyncio.wait_for(PeriodicJob("flaky", tick, interval_seconds=0.01)(runtime), timeout=2)
    assert outcomes == ["failed", "ran"]


@pytest.mark.integration
async def test_only_one_transaction_holds_a_job_lock(db: Database) -> None:
    async with db.transaction() as first:
        assert await holds_job_lock(first, "expiry")
        async with db.transaction() as second:
            assert not await holds_job_lock(second, "expiry")
            assert await holds_job_lock(second, "another job")
    # The lock ended with the first transaction.
    async with db.transaction() as third:
        assert await holds_job_lock(third, "expiry")
