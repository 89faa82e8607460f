"""Per-request DataLoaders: everything a list or `_entities` touches is read in one query."""

import uuid

from strawberry.dataloader import DataLoader

from clientcard_kit.tenant_services import tenant_loader as _loader
from clientcard_receipts.db.receipts import Position, ReceiptFilter
from clientcard_receipts.domain.records import Receipt
from clientcard_receipts.domain.stats import NO_PURCHASES, PurchaseStats
from clientcard_receipts.entrypoints.graphql.context import Info


def receipts(info: Info) -> DataLoader[uuid.UUID, Receipt | None]:
    return _loader(info, "receipts", lambda uow, ids: uow.receipts.get_many(ids), None)


def purchase_stats(info: Info) -> DataLoader[uuid.UUID, PurchaseStats]:
    return _loader(info, "stats", lambda uow, ids: uow.stats.get_many(ids), NO_PURCHASES)


def receipt_pages(
    info: Info, wanted: ReceiptFilter, limit: int, after: Position | None
) -> DataLoader[uuid.UUID, list[Receipt]]:
    # One loader per page shape: customers asking for the same page share one query.
    return _loader(
        info,
        ("receipt_pages", wanted, limit, after),
        lambda uow, ids: uow.receipts.pages(ids, wanted, limit, after),
        [],
    )


def receipt_counts(info: Info, wanted: ReceiptFilter) -> DataLoader[uuid.UUID, int]:
    return _loader(
        info, ("receipt_counts", wanted), lambda uow, ids: uow.receipts.counts(ids, wanted), 0
    )
