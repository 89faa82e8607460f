"""What bonuses made of each receipt, remembered once per receipt."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from clientcard_bonuses.db.tables import receipt_bonuses
from clientcard_bonuses.domain.receipts import ReceiptBonuses, Rejection
from clientcard_contracts.enums import BonusRejection, ReceiptType
from clientcard_kit.db import bulk
from clientcard_kit.db.batches import batch_ids, one_of_batch
from clientcard_kit.db.repository import Repository

_COLUMNS = (
    receipt_bonuses.c.receipt_id,
    receipt_bonuses.c.customer_id,
    receipt_bonuses.c.type,
    receipt_bonuses.c.requested_spent,
    receipt_bonuses.c.spent,
    receipt_bonuses.c.accrued,
    receipt_bonuses.c.accrual_reversed,
    receipt_bonuses.c.spent_refunded,
    receipt_bonuses.c.rejection,
    receipt_bonuses.c.rejection_message,
    receipt_bonuses.c.original_receipt_id,
    receipt_bonuses.c.paid,
    receipt_bonuses.c.purchased_at,
    receipt_bonuses.c.paid_returned,
)


_BY_IDS = sa.select(*_COLUMNS).where(one_of_batch(receipt_bonuses.c.receipt_id))
# Locked in id order, so that two transactions locking overlapping receipts cannot deadlock.
_LOCKED_BY_IDS = _BY_IDS.order_by(receipt_bonuses.c.receipt_id).with_for_update()


class ReceiptRepository(Repository):
    async def get_many(
        self, receipt_ids: Iterable[uuid.UUID], *, for_update: bool = False
    ) -> dict[uuid.UUID, ReceiptBonuses]:
        query = _LOCKED_BY_IDS if for_update else _BY_IDS
        rows = await self._session.execute(query, batch_ids(receipt_ids))
        return {row.receipt_id: _record(row._mapping) for row in rows}

    async def add_many(self, records: Iterable[ReceiptBonuses], now: datetime) -> None:
        rows = [{"tenant_id": self._tenant, "applied_at": now, **_columns(r)} for r in records]
        await bulk.insert_rows(self._session, receipt_bonuses, rows)

    async def save_returns_of(self, sales: Iterable[ReceiptBonuses]) -> None:
        """Store how much of each sale its returns have reversed so far."""
        rows = [
            {
                "receipt_id": sale.receipt_id,
                "accrual_reversed": sale.accrual_reversed,
                "spent_refunded": sale.spent_refunded,
                "paid_returned": sale.paid_returned,
            }
            for sale in sales
        ]
        await bulk.update_rows(self._session, receipt_bonuses, "receipt_id", rows)


def _columns(record: ReceiptBonuses) -> dict[str, Any]:
    rejection = record.rejection
    return {
        "receipt_id": record.receipt_id,
        "customer_id": record.customer_id,
        "type": record.type.value,
        "original_receipt_id": record.original_receipt_id,
        "requested_spent": record.requested_spent,
        "spent": record.spent,
        "accrued": record.accrued,
        "accrual_reversed": record.accrual_reversed,
        "spent_refunded": record.spent_refunded,
        "rejection": rejection.reason.value if rejection else None,
        "rejection_message": rejection.message if rejection else None,
        "paid": record.paid,
        "purchased_at": record.purchased_at,
        "paid_returned": record.paid_returned,
    }


def _record(row: "sa.RowMapping") -> ReceiptBonuses:
    reason = row["rejection"]
    return ReceiptBonuses(
        receipt_id=row["receipt_id"],
        customer_id=row["customer_id"],
        type=ReceiptType(row["type"]),
        requested_spent=row["requested_spent"],
        spent=row["spent"],
        accrued=row["accrued"],
        accrual_reversed=row["accrual_reversed"],
        spent_refunded=row["spent_refunded"],
        rejection=Rejection(BonusRejection(reason), row["rejection_message"]) if reason else None,
        original_receipt_id=row["original_receipt_id"],
        paid=row["paid"],
        purchased_at=row["purchased_at"],
        paid_returned=row["paid_returned"],
    )
