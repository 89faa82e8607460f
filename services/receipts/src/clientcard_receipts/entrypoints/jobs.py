"""The background job of receipts: giving up on customers that never came."""

from datetime import UTC, datetime

from clientcard_kit.jobs import PeriodicJob
from clientcard_kit.runtime import ServiceRuntime
from clientcard_receipts.commands.waiting import give_up_on_late_customers
from clientcard_receipts.settings import ReceiptsSettings

INTERVAL_SECONDS = 30.0


async def _tick(runtime: ServiceRuntime[ReceiptsSettings]) -> int:
    return await give_up_on_late_customers(runtime, datetime.now(UTC))


CUSTOMER_WAIT = PeriodicJob("receipts-customer-wait", _tick, interval_seconds=INTERVAL_SECONDS)
