"""Reading and writing receipts."""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from clientcard_contracts.enums import ReceiptType
from clientcard_kit.db import bulk
from clientcard_kit.db.batches import batch_ids, one_of_batch, rows_per_batch_id
from clientcard_kit.db.pages import newest_first_pages, page_parameters
from clientcard_kit.db.records import field_names, record_from_row, row_of
from clientcard_kit.db.repository import Repository
from clientcard_receipts.db.tables import receipts, waiting_tenants
from clientcard_receipts.domain.records import LedgerBonuses, Receipt, ReceiptItem

_BY_IDS = sa.select(receipts).where(one_of_batch(receipts.c.id))
_COUNTS = rows_per_batch_id(receipts.c.customer_id)


@dataclass(frozen=True, slots=True)
class ReceiptFilter:
    type: ReceiptType | None = None
    purchased_from: datetime | None = None
    purchased_to: datetime | None = None


Position = tuple[datetime, uuid.UUID]
Number = tuple[str, str]
"""A receipt's (posId, number): what deduplication and returns go by."""


# Batches are written and read with one statement over arrays: its text never changes,
# so it is prepared once, however many receipts a batch holds.
_BY_NUMBERS = sa.text(
    """
    SELECT r.* FROM receipts AS r
    JOIN unnest(CAST(:pos AS text[]), CAST(:numbers AS text[])) AS wanted (pos_id, number)
      ON r.pos_id = wanted.pos_id AND r.number = wanted.number
    ORDER BY r.pos_id, r.number
    FOR UPDATE OF r
    """
)
# New receipts travel as one array per column: the statement is the same for any number.
_INSERT = bulk.insert_statement(
    receipts,
    field_names(Receipt),
    "ON CONFLICT ON CONSTRAINT uq_receipts_pos_number DO NOTHING RETURNING id",
)
_SET_RETURNED = sa.text(
    """
    UPDATE receipts SET returned_total = counted.returned
    FROM unnest(CAST(:ids AS uuid[]), CAST(:returned AS numeric[])) AS counted (id, returned)
    WHERE receipts.id = counted.id
    """
)


class ReceiptRepository(Repository):
    async def get_many(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Receipt]:
        rows = await self._session.execute(_BY_IDS, batch_ids(ids))
        return {row.id: to_receipt(row._mapping) for row in rows}

    async def by_numbers(self, numbers: Iterable[Number]) -> dict[Number, Receipt]:
        """The receipts with these (posId, number), locked until the transaction ends."""
        wanted = sorted(set(numbers))
        if not wanted:
            return {}
        rows = await self._session.execute(
            _BY_NUMBERS, {"pos": [pos for pos, _ in wanted], "numbers": [n for _, n in wanted]}
        )
        found = (to_receipt(row._mapping) for row in rows)
        return {(receipt.pos_id, receipt.number): receipt for receipt in found}

    async def add_many(self, new: Iterable[Receipt]) -> int:
        """Store new receipts; returns how many were stored (a POS number taken is skipped)."""
        rows = [_columns(receipt) for receipt in new]
        if not rows:
            return 0
        if any(row["waiting_customer_id"] for row in rows):
            await self._session.execute(
                insert(waiting_tenants).values(tenant_id=self._tenant).on_conflict_do_nothing()
            )
        inserted = await self._session.execute(
            _INSERT, bulk.arrays(receipts, field_names(Receipt), rows)
        )
        return len(inserted.all())

    async def set_returned(self, returned: Mapping[uuid.UUID, Decimal]) -> None:
        """Store how much of each sale its returns have given back."""
        if not returned:
            return
        await self._session.execute(
            _SET_RETURNED, {"ids": list(returned), "returned": list(returned.values())}
        )

    async def set_ledger_bonuses(self, applied: Iterable[LedgerBonuses]) -> None:
        """Keep what the bonuses ledger made of each receipt (the last word per receipt)."""
        latest = {bonuses.receipt_id: bonuses for bonuses in applied}
        rows = [
            {"id": receipt_id, "ledger_accrued": bonuses.accrued, "ledger_spent": bonuses.spent}
            for receipt_id, bonuses in latest.items()
        ]
        await bulk.update_rows(self._session, receipts, "id", rows)

    async def pages(
        self,
        customer_ids: Iterable[uuid.UUID],
        wanted: ReceiptFilter,
        limit: int,
        after: Position | None,
    ) -> dict[uuid.UUID, list[Receipt]]:
        """The first `limit` receipts after a position for each customer, newest first."""
        query = newest_first_pages(
            tuple(receipts.columns),
            receipts.c.customer_id,
            receipts.c.purchased_at,
            receipts.c.id,
            after=after is not None,
            where=_conditions(wanted),
        )
        rows = await self._session.execute(query, page_parameters(customer_ids, limit, after))
        found: dict[uuid.UUID, list[Receipt]] = {}
        for row in rows:
            found.setdefault(row.customer_id, []).append(to_receipt(row._mapping))
        return found

    async def counts(
        self, customer_ids: Iterable[uuid.UUID], wanted: ReceiptFilter
    ) -> dict[uuid.UUID, int]:
        conditions = _conditions(wanted)
        query = _COUNTS.where(*conditions) if conditions else _COUNTS
        rows = await self._session.execute(query, batch_ids(customer_ids))
        return {customer_id: int(count) for customer_id, count in rows}


def _conditions(wanted: ReceiptFilter) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if wanted.type is not None:
        conditions.append(receipts.c.type == wanted.type.value)
    if wanted.purchased_from is not None:
        conditions.append(receipts.c.purchased_at >= wanted.purchased_from)
    if wanted.purchased_to is not None:
        conditions.append(receipts.c.purchased_at < wanted.purchased_to)
    return conditions


def _columns(receipt: Receipt) -> dict[str, Any]:
    return row_of(
        receipt,
        type=receipt.type.value,
        items=[_item_document(item) for item in receipt.items],
    )


def _item_document(item: ReceiptItem) -> dict[str, str | None]:
    return {
        "sku": item.sku,
        "name": item.name,
        "quantity": format(item.quantity, "f"),
        "price": format(item.price, "f"),
        "amount": format(item.amount, "f"),
    }


def _item(document: Mapping[str, Any]) -> ReceiptItem:
    return ReceiptItem(
        sku=document["sku"],
        name=document["name"],
        quantity=Decimal(document["quantity"]),
        price=Decimal(document["price"]),
        amount=Decimal(document["amount"]),
    )


def to_receipt(row: "Mapping[str, Any] | sa.RowMapping") -> Receipt:
    return record_from_row(
        Receipt,
        row,
        type=ReceiptType(row["type"]),
        items=tuple(_item(document) for document in row["items"]),
    )
