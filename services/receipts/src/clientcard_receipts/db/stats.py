"""Each customer's purchase figures, counted as receipts are linked to them."""

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from clientcard_kit.db import bulk
from clientcard_kit.db.batches import batch_ids, one_of_batch
from clientcard_kit.db.records import field_names, record_from_row, row_of
from clientcard_kit.db.repository import Repository
from clientcard_receipts.db.tables import purchase_stats
from clientcard_receipts.domain.stats import PurchaseStats

_FIGURES = (
    purchase_stats.c.version,
    purchase_stats.c.purchases,
    purchase_stats.c.returns,
    purchase_stats.c.revenue,
    purchase_stats.c.first_purchase_at,
    purchase_stats.c.last_purchase_at,
)


_CREATE = sa.text(
    """
    INSERT INTO purchase_stats (customer_id, tenant_id, version, purchases, returns, revenue)
    SELECT id, :tenant, 0, 0, 0, 0 FROM unnest(CAST(:ids AS uuid[])) AS id ORDER BY id
    ON CONFLICT DO NOTHING
    """
)
_LOCK = sa.text(
    """
    SELECT customer_id, version, purchases, returns, revenue, first_purchase_at,
      last_purchase_at
    FROM purchase_stats WHERE customer_id = ANY(CAST(:ids AS uuid[]))
    ORDER BY customer_id FOR UPDATE
    """
)
_SAVED = ("customer_id", *field_names(PurchaseStats))
_SAVE = bulk.update_statement(purchase_stats, "customer_id", _SAVED)

_OF_CUSTOMERS = sa.select(purchase_stats.c.customer_id, *_FIGURES).where(
    one_of_batch(purchase_stats.c.customer_id)
)


class PurchaseStatsRepository(Repository):
    async def lock(self, customer_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, PurchaseStats]:
        """The customers' figures, locked until the transaction ends (empty ones created).

        Rows are created and locked in id order, so two transactions counting receipts
        of the same customers wait for each other instead of deadlocking.
        """
        wanted = sorted(set(customer_ids))
        if not wanted:
            return {}
        await self._session.execute(_CREATE, {"ids": wanted, "tenant": self._tenant})
        rows = await self._session.execute(_LOCK, {"ids": wanted})
        return {row.customer_id: _stats(row._mapping) for row in rows}

    async def save(self, figures: Mapping[uuid.UUID, PurchaseStats]) -> None:
        if not figures:
            return
        rows = [
            {"customer_id": customer_id, **_columns(stats)}
            for customer_id, stats in figures.items()
        ]
        await self._session.execute(_SAVE, bulk.arrays(purchase_stats, _SAVED, rows))

    async def get_many(self, customer_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, PurchaseStats]:
        rows = await self._session.execute(_OF_CUSTOMERS, batch_ids(customer_ids))
        return {row.customer_id: _stats(row._mapping) for row in rows}

    async def remove(self, customer_id: uuid.UUID) -> None:
        await self._session.execute(
            sa.delete(purchase_stats).where(purchase_stats.c.customer_id == customer_id)
        )


def _stats(row: "Mapping[str, Any] | sa.RowMapping") -> PurchaseStats:
    return record_from_row(PurchaseStats, row)


def _columns(stats: PurchaseStats) -> dict[str, Any]:
    return row_of(stats)
