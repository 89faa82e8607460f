"""The events the receipts service publishes, built from its records.

The event is assembled without validating it a second time (`model_construct`): every
value in it comes from a receipt the contract model has already validated, or from
arithmetic on such values that keeps their places (sums of cents, shares quantized to six
places), and validating again was half of the CPU time of storing a POS receipt. The
unit tests send built events back through the schema, so a builder that strays fails.
"""

import uuid
from datetime import datetime

from clientcard_contracts.events import receipts as events
from clientcard_receipts.domain.records import Receipt
from clientcard_receipts.domain.stats import PurchaseStats


def receipt_registered(
    receipt: Receipt, customer_id: uuid.UUID, stats: PurchaseStats, now: datetime
) -> events.ReceiptRegistered:
    return events.ReceiptRegistered.model_construct(
        tenant_id=receipt.tenant_id,
        customer_id=customer_id,
        occurred_at=now,
        receipt_id=receipt.id,
        type=receipt.type,
        pos_id=receipt.pos_id,
        outlet_id=receipt.outlet_id,
        number=receipt.number,
        purchased_at=receipt.purchased_at,
        items=tuple(
            events.ReceiptLine.model_construct(
                sku=item.sku,
                name=item.name,
                quantity=item.quantity,
                price=item.price,
                amount=item.amount,
            )
            for item in receipt.items
        ),
        total=receipt.total,
        paid=receipt.paid,
        bonuses_spent=receipt.bonuses_spent,
        original_receipt_id=receipt.original_receipt_id,
        returned_share=receipt.returned_share,
        returned_share_so_far=receipt.returned_share_so_far,
        bonus_reservation_id=receipt.bonus_reservation_id,
        purchase_stats=purchase_stats(stats),
    )


def purchase_stats(stats: PurchaseStats) -> events.PurchaseStats:
    return events.PurchaseStats.model_construct(
        version=stats.version,
        purchases=stats.purchases,
        returns=stats.returns,
        revenue=stats.revenue,
        average_check=stats.average_check,
        first_purchase_at=stats.first_purchase_at,
        last_purchase_at=stats.last_purchase_at,
    )


def merge_applied(
    tenant: str,
    survivor_id: uuid.UUID,
    duplicate_id: uuid.UUID,
    stats: PurchaseStats | None,
    now: datetime,
) -> events.ReceiptsMergeApplied:
    return events.ReceiptsMergeApplied(
        tenant_id=tenant,
        customer_id=survivor_id,
        occurred_at=now,
        duplicate_id=duplicate_id,
        service="receipts",
        purchase_stats=purchase_stats(stats) if stats else None,
    )
