"""The phases of the suite, one fault each, and the report of what they counted."""

import asyncio
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from clientcard_devstack.chaos import workload
from clientcard_devstack.chaos.cluster import Cluster
from clientcard_devstack.chaos.tally import Tally, segment_known_to_messaging, settle

# How long the members may take to reach messaging's view of the segment on a healthy
# system before the phase gives up.
MEMBERS_KNOWN_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class Plan:
    members: int = 60  # clients of each phase's merchant, each a mailing recipient
    receipts_per_second: float = 40.0
    registrations_per_second: float = 4.0
    accruals_per_second: float = 4.0
    before: float = 4.0  # seconds of load before the fault
    down: float = 3.0  # seconds the process stays dead
    after: float = 4.0  # seconds of load once it is back
    settle_timeout: float = 180.0


SHORT = Plan(
    members=20,
    receipts_per_second=20.0,
    registrations_per_second=3.0,
    accruals_per_second=3.0,
    before=2.0,
    down=2.0,
    after=2.0,
    settle_timeout=120.0,
)


@dataclass(slots=True)
class PhaseResult:
    fault: str
    tally: Tally
    back_seconds: float  # from the kill until the process is ready again
    recovered_seconds: float | None  # from the kill until everything confirmed is applied

    def as_dict(self) -> dict[str, Any]:
        return {
            "fault": self.fault,
            "back_seconds": round(self.back_seconds, 1),
            "recovered_seconds": None
            if self.recovered_seconds is None
            else round(self.recovered_seconds, 1),
            **self.tally.as_dict(),
        }


async def run_phase(cluster: Cluster, fault: str, phase: int, plan: Plan) -> PhaseResult:
    merchant = workload.Merchant(tenant=f"chaos-{uuid.uuid4().hex[:6]}-{fault}", phase=phase)
    async with httpx.AsyncClient() as client:
        staff = workload.Staff(client, cluster.system.gateway_url, merchant.tenant)
        await workload.open_merchant(staff, merchant, plan.members)
        # A mailing goes to the members messaging knows when it starts; what reaches it
        # a moment later is not this suite's question, so it starts once all have.
        await _members_known_to_messaging(cluster, merchant)
        # The mailing starts just before the fault, to be cut off halfway.
        await workload.schedule_mailing(staff, merchant, plan.before - 0.5)
        stop = asyncio.Event()
        streams = asyncio.gather(
            workload.stream_receipts(
                cluster.system.kafka_bootstrap_servers, merchant, stop, plan.receipts_per_second
            ),
            workload.stream_registrations(staff, merchant, stop, plan.registrations_per_second),
            workload.stream_accruals(staff, merchant, stop, plan.accruals_per_second),
        )
        await asyncio.sleep(plan.before)
        killed_at = time.monotonic()
        await asyncio.to_thread(cluster.kill, fault)
        await asyncio.sleep(plan.down)
        await asyncio.to_thread(cluster.restart, fault)
        back = time.monotonic() - killed_at
        await asyncio.sleep(plan.after)
        stop.set()
        await streams
    settling_from = time.monotonic() - killed_at
    tally, waited = await settle(cluster, merchant, plan.settle_timeout)
    recovered = None if waited is None else settling_from + waited
    return PhaseResult(fault, tally, back, recovered)


async def _members_known_to_messaging(cluster: Cluster, merchant: workload.Merchant) -> None:
    deadline = time.monotonic() + MEMBERS_KNOWN_TIMEOUT
    while not await asyncio.to_thread(segment_known_to_messaging, cluster, merchant):
        if time.monotonic() > deadline:
            raise workload.Unconfirmed("the segment's members never reached messaging")
        await asyncio.sleep(0.2)


def report(results: list[PhaseResult]) -> str:
    """The results as the Markdown table docs/reliability.md shows."""
    kinds = list(results[0].tally.counts) if results else []
    header = (
        "| fault | "
        + " | ".join(f"{kind} sent / stored" for kind in kinds)
        + " | duplicated | lost | read models off | dead letters | back (s) | recovered (s) |"
    )
    lines = [header, "|" + "---|" * (len(kinds) + 7)]
    for result in results:
        counts = result.tally.counts.values()
        recovered = result.recovered_seconds
        lines.append(
            f"| {result.fault} | "
            + " | ".join(f"{count.sent} / {count.stored}" for count in counts)
            + f" | {sum(c.duplicated for c in counts)} | {sum(c.lost for c in counts)}"
            + f" | {sum(result.tally.read_models.values())} | {result.tally.dead_letters}"
            + f" | {result.back_seconds:.1f} | "
            + ("never" if recovered is None else f"{recovered:.1f}")
            + " |"
        )
    return "\n".join(lines)
