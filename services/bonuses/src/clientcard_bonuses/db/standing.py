"""Where accounts stand in the loyalty program: pending lots to free, spends to count
again as sales leave the 365-day window, tiers to place everyone in after a change.

The jobs find due accounts through partial indexes on the moments kept with each
account, and read and write only the columns of the standing (spend, its next review,
the tier and its version), a batch in one statement each.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from clientcard_bonuses.db.tables import bonus_accounts, receipt_bonuses
from clientcard_bonuses.domain.account import Totals
from clientcard_kit.db import bulk
from clientcard_kit.db.batches import one_of
from clientcard_kit.db.repository import Repository

_STANDING = (
    bonus_accounts.c.customer_id,
    bonus_accounts.c.spend,
    bonus_accounts.c.spend_review_at,
    bonus_accounts.c.tier_id,
    bonus_accounts.c.tier_version,
)


class StandingRepository(Repository):
    async def due_releases(self, now: datetime, limit: int) -> list[uuid.UUID]:
        """Accounts with a pending lot that may be spent by now."""
        return await self._due(bonus_accounts.c.next_available_at, now, limit)

    async def due_reviews(self, now: datetime, limit: int) -> list[uuid.UUID]:
        """Accounts with a sale that has left the 365-day window by now."""
        return await self._due(bonus_accounts.c.spend_review_at, now, limit)

    async def _due(
        self, moment: "sa.Column[datetime]", now: datetime, limit: int
    ) -> list[uuid.UUID]:
        rows = await self._session.scalars(
            sa.select(bonus_accounts.c.customer_id).where(moment <= now).limit(limit)
        )
        return list(rows)

    async def lock_standings(self, customer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Totals]:
        """The standing of these accounts that no one else holds, locked (the rest of the
        totals left at their defaults: only the standing is written back)."""
        rows = await self._session.execute(
            sa.select(*_STANDING)
            .where(one_of(bonus_accounts.c.customer_id, customer_ids))
            .order_by(bonus_accounts.c.customer_id)
            .with_for_update(skip_locked=True)
        )
        return {row.customer_id: _standing(row) for row in rows}

    async def lock_next(self, after: uuid.UUID | None, limit: int) -> dict[uuid.UUID, Totals]:
        """The standing of the next `limit` accounts by id after `after`, locked."""
        query = sa.select(*_STANDING).order_by(bonus_accounts.c.customer_id).limit(limit)
        if after is not None:
            query = query.where(bonus_accounts.c.customer_id > after)
        rows = await self._session.execute(query.with_for_update())
        return {row.customer_id: _standing(row) for row in rows}

    async def spends(
        self, customer_ids: Sequence[uuid.UUID], since: datetime
    ) -> dict[uuid.UUID, tuple[Decimal, datetime]]:
        """Each customer's money paid by sales after `since`, less what returns gave back,
        and the oldest of those sales; customers without one are left out."""
        sales = receipt_bonuses.c
        rows = await self._session.execute(
            sa.select(
                sales.customer_id,
                sa.func.sum(sales.paid - sales.paid_returned),
                sa.func.min(sales.purchased_at),
            )
            .where(
                one_of(sales.customer_id, customer_ids),
                sales.type == "SALE",
                sales.purchased_at > since,
            )
            .group_by(sales.customer_id)
        )
        return {row[0]: (row[1], row[2]) for row in rows}

    async def save_standings(
        self, standings: dict[uuid.UUID, Totals], *, tiers_only: bool = False
    ) -> None:
        """Write the standings back; `tiers_only` when only tiers changed (a tiers run)."""
        rows = [
            {
                "customer_id": customer_id,
                "tier_id": totals.tier_id,
                "tier_version": totals.tier_version,
            }
            | (
                {}
                if tiers_only
                else {"spend": totals.spend, "spend_review_at": totals.spend_review_at}
            )
            for customer_id, totals in standings.items()
        ]
        await bulk.update_rows(self._session, bonus_accounts, "customer_id", rows)


def _standing(row: Any) -> Totals:
    return Totals(
        spend=row.spend,
        spend_review_at=row.spend_review_at,
        tier_id=row.tier_id,
        tier_version=row.tier_version,
    )
