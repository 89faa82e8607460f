"""What the bonuses integration tests share: events to publish and ledger checks."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from clientcard_bonuses.settings import BonusesSettings
from clientcard_contracts.events.base import Event
from clientcard_contracts.events.customers import CustomerDeleted, CustomerRegistered
from clientcard_contracts.events.receipts import ReceiptRegistered
from clientcard_kit.db import Database
from clientcard_kit.testing import publish_events

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

ACCOUNT = """query($r: [_Any!]!, $first: Int, $after: String, $type: BonusOperationType) {
  _entities(representations: $r) { ... on Customer { id bonuses {
    balance accrued spent expired purchases nextExpiration { amount expiresAt }
    operations(first: $first, after: $after, type: $type) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { type event amount balanceAfter comment author receipt { id } } }
    } } } } }"""
RECEIPTS = """query($r: [_Any!]!) {
  _entities(representations: $r) { ... on Receipt { id bonusesAccrued bonusesSpent } } }"""


def tenant() -> str:
    return f"shop-{uuid.uuid4().hex[:8]}"


def customer_ref(customer_id: uuid.UUID | str) -> dict[str, str]:
    return {"__typename": "Customer", "id": str(customer_id)}


async def account(call: Any, customer_id: uuid.UUID | str, **page: object) -> dict[str, Any]:
    result = await call(ACCOUNT, r=[customer_ref(customer_id)], **page)
    assert "errors" not in result, result
    found: dict[str, Any] = result["data"]["_entities"][0]["bonuses"]
    return found


async def receipt_bonuses(call: Any, *receipt_ids: uuid.UUID) -> list[tuple[str, str]]:
    refs = [{"__typename": "Receipt", "id": str(receipt_id)} for receipt_id in receipt_ids]
    result = await call(RECEIPTS, r=refs)
    assert "errors" not in result, result
    return [(r["bonusesAccrued"], r["bonusesSpent"]) for r in result["data"]["_entities"]]


def error_code(result: dict[str, Any]) -> str:
    code: str = result["errors"][0]["extensions"]["code"]
    return code


def sale(
    tenant_id: str,
    customer_id: uuid.UUID,
    total: str,
    spent: str = "0.00",
    receipt_id: uuid.UUID | None = None,
    reservation_id: uuid.UUID | None = None,
) -> ReceiptRegistered:
    paid = Decimal(total) - Decimal(spent)
    extra = {"bonusReservationId": str(reservation_id)} if reservation_id else {}
    return _receipt(
        tenant_id,
        customer_id,
        receipt_id or uuid.uuid4(),
        "SALE",
        total,
        str(paid),
        spent,
        **extra,
    )


def return_of(
    tenant_id: str,
    customer_id: uuid.UUID,
    original: uuid.UUID,
    total: str,
    share: str,
    share_so_far: str,
    receipt_id: uuid.UUID | None = None,
) -> ReceiptRegistered:
    return _receipt(
        tenant_id,
        customer_id,
        receipt_id or uuid.uuid4(),
        "RETURN",
        total,
        total,
        "0.00",
        originalReceiptId=str(original),
        returnedShare=share,
        returnedShareSoFar=share_so_far,
    )


def _receipt(
    tenant_id: str,
    customer_id: uuid.UUID,
    receipt_id: uuid.UUID,
    kind: str,
    total: str,
    paid: str,
    spent: str,
    **extra: str,
) -> ReceiptRegistered:
    return ReceiptRegistered.model_validate(
        {
            "tenantId": tenant_id,
            "customerId": str(customer_id),
            "occurredAt": NOW.isoformat(),
            "receiptId": str(receipt_id),
            "type": kind,
            "posId": "pos-1",
            "outletId": "outlet-1",
            "number": f"R-{receipt_id.hex[:6]}",
            "purchasedAt": NOW.isoformat(),
            "items": [{"name": "Товар", "quantity": "1.000", "price": total, "amount": total}],
            "total": total,
            "paid": paid,
            "bonusesSpent": spent,
            "purchaseStats": {
                "version": 1,
                "purchases": 1,
                "returns": 0,
                "revenue": total,
                "averageCheck": total,
            },
            **extra,
        }
    )


def registered(tenant_id: str, customer_id: uuid.UUID) -> CustomerRegistered:
    return CustomerRegistered.model_validate(
        {
            "tenantId": tenant_id,
            "customerId": str(customer_id),
            "occurredAt": NOW.isoformat(),
            "version": 1,
            "phone": "+79160000000",
            "gender": "UNKNOWN",
            "registration": {"registeredAt": NOW.isoformat(), "source": "MANUAL"},
        }
    )


def deleted(tenant_id: str, customer_id: uuid.UUID) -> CustomerDeleted:
    return CustomerDeleted(tenant_id=tenant_id, customer_id=customer_id, occurred_at=NOW)


async def publish(
    settings: BonusesSettings, *events: Event, event_ids: list[uuid.UUID] | None = None
) -> None:
    """Send events as their producers do: CloudEvents in binary mode, keyed by customer."""
    await publish_events(settings.kafka_bootstrap_servers, events, event_ids)


LEDGER_CHECK = """
SELECT a.customer_id, a.balance, a.accrued - a.spent - a.expired AS by_totals,
  coalesce((SELECT sum(CASE WHEN o.type = 'ACCRUAL' THEN o.amount ELSE -o.amount END)
            FROM bonus_operations o WHERE o.customer_id = a.customer_id), 0) AS by_ledger,
  coalesce((SELECT sum(l.remaining) FROM bonus_lots l WHERE l.customer_id = a.customer_id), 0)
    AS by_lots,
  a.version, (SELECT count(*) FROM bonus_operations o WHERE o.customer_id = a.customer_id)
    AS operations
FROM bonus_accounts a
"""


async def ledger_disagreements(db: Database, tenant_id: str) -> list[Any]:
    """Accounts of the tenant whose balance differs from its ledger, totals or lots."""
    async with db.transaction(tenant_id) as session:
        rows = (await session.execute(sa.text(LEDGER_CHECK))).all()
    assert rows, "the tenant has no accounts to check"
    return [
        row
        for row in rows
        if not (row.balance == row.by_totals == row.by_ledger == row.by_lots >= 0)
        or row.version != row.operations
    ]


async def outbox_events(db: Database, tenant_id: str, event_type: str) -> list[dict[str, Any]]:
    async with db.transaction() as session:
        rows = await session.scalars(
            sa.text(
                "SELECT data FROM outbox WHERE tenant_id = :t AND event_type = :e ORDER BY seq"
            ),
            {"t": tenant_id, "e": event_type},
        )
        return list(rows)
