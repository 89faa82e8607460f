"""What the automation tests share: events that bring occasions, clients registered and
subscribed, the run and the send queue called with a moved clock, and the GraphQL
documents of automations."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from clientcard_contracts.enums import BonusEvent, BonusOperationType, ReceiptType
from clientcard_contracts.events import bonuses, customers, receipts
from clientcard_contracts.events.base import Event
from clientcard_kit.db import Database
from clientcard_kit.testing import eventually
from clientcard_messaging.channels.registry import Providers
from clientcard_messaging.commands.automation_runs import run_automations
from clientcard_messaging.commands.sending import send_batch
from clientcard_messaging.settings import MessagingSettings

from .support import LINK, conversation, publish

UPDATE = """mutation($input: AutomationInput!) { updateAutomation(input: $input) {
  kind enabled text delayDays channel } }"""
AUTOMATIONS = """{ automations { kind enabled text delayDays channel
  stats { recipients sent delivered read failed replied unreachable notConfigured } } }"""
SETTINGS = """mutation($input: MessagingSettingsInput!) { updateMessagingSettings(input: $input) {
  timeZone quietHoursStart quietHoursEnd } }"""
READ_SETTINGS = "{ messagingSettings { timeZone quietHoursStart quietHoursEnd } }"
# 23:30 in Moscow (UTC+3), inside quiet hours from 22 to 9; years ahead of the wall clock.
LATE_EVENING = datetime(2030, 3, 10, 20, 30, tzinfo=UTC)
PROFILES = ("customers", "automations-customers")


def registered(tenant: str, customer_id: uuid.UUID, first_name: str, at: datetime) -> Event:
    return customers.CustomerRegistered(
        tenant_id=tenant,
        customer_id=customer_id,
        occurred_at=at,
        version=1,
        phone=f"+7912{customer_id.int % 10_000_000:07d}",
        first_name=first_name,
        gender="UNKNOWN",
        registration=customers.Registration(registered_at=at, source="MANUAL"),
    )


def sale(tenant: str, customer_id: uuid.UUID, at: datetime, receipt_id: uuid.UUID) -> Event:
    line = receipts.ReceiptLine(name="Стрижка", quantity="1", price="1500.00", amount="1500.00")
    return receipts.ReceiptRegistered(
        tenant_id=tenant,
        customer_id=customer_id,
        occurred_at=at,
        receipt_id=receipt_id,
        type=ReceiptType.SALE,
        pos_id="till-1",
        outlet_id="lenina-5",
        number=receipt_id.hex[:12],
        purchased_at=at,
        items=(line,),
        total="1500.00",
        paid="1500.00",
        bonuses_spent="0.00",
        purchase_stats=receipts.PurchaseStats(
            version=1, purchases=1, returns=0, revenue="1500.00", average_check="1500.00"
        ),
    )


def accrued(
    tenant: str,
    customer_id: uuid.UUID,
    at: datetime,
    *,
    version: int,
    balance: str,
    event: BonusEvent = BonusEvent.MANUAL,
    burns: tuple[datetime, str] | None = None,
) -> Event:
    """A bonus accrual leaving the account at `balance`, `burns` (when, how much) next."""
    return bonuses.BonusTransactionRecorded(
        tenant_id=tenant,
        customer_id=customer_id,
        occurred_at=at,
        operation_id=uuid.uuid4(),
        type=BonusOperationType.ACCRUAL,
        event=event,
        amount="100.00",
        balance_after=balance,
        account=bonuses.BonusAccountTotals(
            version=version,
            balance=balance,
            accrued=balance,
            spent="0.00",
            expired="0.00",
            next_expiry_at=burns[0] if burns else None,
            next_expiry_amount=Decimal(burns[1]) if burns else None,
        ),
    )


async def delivered(settings: MessagingSettings, events: list[Event], *consumers: str) -> None:
    """Publish the events and wait until each of the named consumers has taken every one."""
    ids = await publish(settings, events)
    db = Database(settings.database_url)

    async def taken() -> bool:
        async with db.transaction() as session:
            count = await session.scalar(
                sa.text(
                    "SELECT count(*) FROM inbox WHERE event_id = ANY(:ids) "
                    "AND consumer = ANY(:consumers)"
                ),
                {"ids": ids, "consumers": list(consumers)},
            )
        return bool(count == len(ids) * len(consumers))

    try:
        await eventually(taken, what=f"{consumers} to take the events")
    finally:
        await db.dispose()


async def run_at(settings: MessagingSettings, tenant: str, now: datetime) -> None:
    """The automation run at `now`, until it has looked at the tenant (the service's own
    job may hold the tenant for a moment)."""
    db = Database(settings.database_url)
    try:

        async def looked_at() -> bool:
            await run_automations(db.sessions, Providers(settings), now)
            async with db.transaction() as session:
                due_at = await session.scalar(
                    sa.text("SELECT due_at FROM automation_queue WHERE tenant_id = :tenant"),
                    {"tenant": tenant},
                )
            return due_at is None or due_at > now

        await eventually(looked_at, what=f"the automation run to look at {tenant}")
    finally:
        await db.dispose()


async def send_at(settings: MessagingSettings, now: datetime) -> None:
    """Send everything queued for `now` or earlier."""
    db = Database(settings.database_url)
    try:
        while await send_batch(db.sessions, settings, Providers(settings), now):
            pass
    finally:
        await db.dispose()


async def sent_automations(call: Any, customer_id: uuid.UUID) -> list[dict[str, Any]]:
    """The customer's automatic messages, newest first."""
    return [m for m in await conversation(call, str(customer_id)) if m["kind"] == "AUTOMATION"]


async def stats_of(call: Any, kind: str) -> dict[str, int]:
    found = (await call.data(AUTOMATIONS))["automations"]
    stats: dict[str, int] = next(a["stats"] for a in found if a["kind"] == kind)
    return stats


async def enable(call: Any, kind: str, text: str, days: int | None = None, **more: Any) -> None:
    automation = {"kind": kind, "enabled": True, "text": text, "delayDays": days, **more}
    await call.data(UPDATE, input=automation)


async def clients(
    call: Any, settings: MessagingSettings, names: list[str], at: datetime = LATE_EVENING
) -> list[uuid.UUID]:
    """Customers registered at `at`, the projection and the automations told."""
    ids = [uuid.uuid4() for _ in names]
    events = [registered(call.tenant, i, name, at) for i, name in zip(ids, names, strict=True)]
    await delivered(settings, events, *PROFILES)
    return ids


async def subscribe(call: Any, customer_id: uuid.UUID, phone: str) -> None:
    await call.data(LINK, c=str(customer_id), ch="SMS", a=phone)
