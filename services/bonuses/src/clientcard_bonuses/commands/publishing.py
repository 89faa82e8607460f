"""The events the bonuses service publishes, built from its ledger and receipts."""

import uuid
from datetime import datetime
from decimal import Decimal

from clientcard_bonuses.domain.account import Totals
from clientcard_bonuses.domain.ledger import Ledger
from clientcard_bonuses.domain.program import LoyaltyProgram
from clientcard_bonuses.domain.receipts import ReceiptBonuses
from clientcard_bonuses.domain.reservations import Reservation
from clientcard_contracts.events import bonuses as events


def transactions_recorded(tenant: str, ledger: Ledger) -> list[events.BonusTransactionRecorded]:
    """One event per operation the ledger added, each with the account right after it."""
    return [
        events.BonusTransactionRecorded(
            tenant_id=tenant,
            customer_id=operation.customer_id,
            occurred_at=operation.occurred_at,
            operation_id=operation.id,
            type=operation.type,
            event=operation.event,
            amount=operation.amount,
            balance_after=operation.balance_after,
            receipt_id=operation.receipt_id,
            comment=operation.comment,
            author=operation.author,
            expires_at=operation.expires_at,
            recorded_at=operation.recorded,
            account=account_totals(totals),
        )
        for operation, totals in zip(ledger.operations, ledger.totals_after, strict=True)
    ]


def tier_changed(
    tenant: str, customer_id: uuid.UUID, totals: Totals, program: LoyaltyProgram, now: datetime
) -> events.BonusTierChanged:
    tier = program.tier(totals.tier_id)
    return events.BonusTierChanged(
        tenant_id=tenant,
        customer_id=customer_id,
        occurred_at=now,
        tier_id=totals.tier_id,
        tier_name=tier.name if tier else None,
        version=totals.tier_version,
    )


def account_totals(totals: Totals) -> events.BonusAccountTotals:
    return events.BonusAccountTotals(
        version=totals.version,
        balance=totals.balance,
        accrued=totals.accrued,
        spent=totals.spent,
        expired=totals.expired,
        next_expiry_at=totals.next_expiry_at,
        next_expiry_amount=totals.next_expiry_amount,
    )


def merge_applied(
    tenant: str,
    survivor_id: uuid.UUID,
    duplicate_id: uuid.UUID,
    totals: Totals | None,
    now: datetime,
) -> events.BonusesMergeApplied:
    """The answer to a merge; no account figures when the survivor's ledger is empty."""
    return events.BonusesMergeApplied(
        tenant_id=tenant,
        customer_id=survivor_id,
        occurred_at=now,
        duplicate_id=duplicate_id,
        service="bonuses",
        account=account_totals(totals) if totals and totals.version else None,
    )


def receipt_bonuses_applied(
    tenant: str, applied: ReceiptBonuses, balance_after: Decimal, now: datetime
) -> events.ReceiptBonusesApplied:
    rejection = applied.rejection
    return events.ReceiptBonusesApplied(
        tenant_id=tenant,
        customer_id=applied.customer_id,
        occurred_at=now,
        receipt_id=applied.receipt_id,
        receipt_type=applied.type,
        requested_spent=applied.requested_spent,
        spent=applied.spent,
        accrued=applied.accrued,
        accrual_reversed=applied.accrual_reversed,
        spent_refunded=applied.spent_refunded,
        rejection=events.RedemptionRejected(reason=rejection.reason, message=rejection.message)
        if rejection
        else None,
        balance_after=balance_after,
    )


def reservation_changed(
    tenant: str, reservation: Reservation, now: datetime
) -> events.BonusReservationChanged:
    return events.BonusReservationChanged(
        tenant_id=tenant,
        customer_id=reservation.customer_id,
        occurred_at=now,
        reservation_id=reservation.id,
        status=reservation.status,
        amount=reservation.amount,
        total=reservation.total,
        expires_at=reservation.expires_at,
        receipt_id=reservation.receipt_id,
    )
