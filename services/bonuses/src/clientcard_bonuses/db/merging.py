"""Moving a duplicate's bonus account into the survivor's, a statement per table.

Lots, reservations and receipts' bonuses change owner as they are. The ledger is
append-only, so the survivor's lines stay as they were and the duplicate's are appended
after them in their own order, each with its dates, type, amount and note, numbered on
from the survivor's last and with the balance the two cards held together (the survivor's
balance plus the duplicate's at that line); the duplicate's own lines go with its
account. The survivor's totals are both accounts' sums, and its version (the number of
operations) both counts, above any version either card published.
"""

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from clientcard_bonuses.db.tables import (
    birthday_bonuses,
    bonus_accounts,
    bonus_lots,
    bonus_operations,
    bonus_reservations,
    merged_customers,
    receipt_bonuses,
)
from clientcard_bonuses.domain.records import Expiration
from clientcard_kit.db.merged_customers import MergedCustomers
from clientcard_kit.db.repository import Repository

# Owned rows that move as they are.
_MOVED = (bonus_lots, bonus_reservations, receipt_bonuses)
# Summed into the survivor's account.
_SUMMED = (
    "balance",
    "accrued",
    "spent",
    "expired",
    "purchases",
    "version",
    "reserved",
    "pending",
    "spend",
)
# Moments of what happens next to either account: the earlier one comes first.
_EARLIEST = ("next_available_at", "spend_review_at")

# What an operation copied into the survivor's ledger keeps as it was.
_KEPT = [
    column.name
    for column in bonus_operations.columns
    if column.name not in ("id", "customer_id", "number", "balance_after")
]


def _appended(duplicate_id: uuid.UUID, survivor_id: uuid.UUID) -> sa.Executable:
    """The duplicate's operations as new lines of the survivor's ledger, after its own."""
    taken = bonus_operations
    lines = sa.select(
        sa.func.gen_random_uuid(),
        sa.literal(survivor_id, taken.c.customer_id.type),
        _of(survivor_id, "version") + taken.c.number,
        _of(survivor_id, "balance") + taken.c.balance_after,
        *(taken.c[name] for name in _KEPT),
    ).where(taken.c.customer_id == duplicate_id)
    names = ["id", "customer_id", "number", "balance_after", *_KEPT]
    return sa.insert(bonus_operations).from_select(names, lines)


def _of(customer_id: uuid.UUID, total: str) -> sa.ScalarSelect[Any]:
    """One figure of a customer's account, as a value inside another statement."""
    account = bonus_accounts.alias()
    return sa.select(account.c[total]).where(account.c.customer_id == customer_id).scalar_subquery()


class AccountMerges(Repository):
    async def lock_accounts(self, ids: list[uuid.UUID]) -> set[uuid.UUID]:
        """Lock these customers' accounts in id order; returns whose exist."""
        rows = await self._session.scalars(
            sa.select(bonus_accounts.c.customer_id)
            .where(bonus_accounts.c.customer_id.in_(ids))
            .order_by(bonus_accounts.c.customer_id)
            .with_for_update()
        )
        return set(rows)

    async def move(self, duplicate_id: uuid.UUID, survivor_id: uuid.UUID) -> None:
        """Everything of the duplicate's account into the survivor's (which must exist),
        then the duplicate's account goes."""
        for table in _MOVED:
            await self._session.execute(
                sa.update(table)
                .where(table.c.customer_id == duplicate_id)
                .values(customer_id=survivor_id)
            )
        # Before the totals: the copies are numbered and balanced on the survivor's own.
        await self._session.execute(_appended(duplicate_id, survivor_id))
        await self._add_totals(duplicate_id, survivor_id)
        # The duplicate's account goes with its own lines (erasure's way: the ledger is
        # append-only, its lines are never changed).
        await self._session.execute(
            sa.delete(bonus_accounts).where(bonus_accounts.c.customer_id == duplicate_id)
        )

    async def _add_totals(self, duplicate_id: uuid.UUID, survivor_id: uuid.UUID) -> None:
        sums = {name: bonus_accounts.c[name] + _of(duplicate_id, name) for name in _SUMMED}
        # LEAST skips a null: a moment only one account has is kept.
        sums |= {
            name: sa.func.least(bonus_accounts.c[name], _of(duplicate_id, name))
            for name in _EARLIEST
        }
        await self._session.execute(
            sa.update(bonus_accounts)
            .where(bonus_accounts.c.customer_id == survivor_id)
            .values(**sums, welcomed=bonus_accounts.c.welcomed | _of(duplicate_id, "welcomed"))
        )

    async def move_birthday_bonuses(self, duplicate_id: uuid.UUID, survivor_id: uuid.UUID) -> None:
        """The years the duplicate had its birthday bonus count as the survivor's: one person
        gets one a year, whichever card it went to."""
        taken = birthday_bonuses
        years = sa.select(
            taken.c.tenant_id,
            sa.literal(survivor_id, taken.c.customer_id.type),
            taken.c.year,
            taken.c.accrued_at,
        ).where(taken.c.customer_id == duplicate_id)
        await self._session.execute(
            insert(taken)
            .from_select(["tenant_id", "customer_id", "year", "accrued_at"], years)
            .on_conflict_do_nothing()
        )
        await self._session.execute(sa.delete(taken).where(taken.c.customer_id == duplicate_id))

    async def review_spend(self, customer_id: uuid.UUID, at: datetime) -> None:
        """Have the spend reviews place the customer in its tier again from `at` on (both
        cards' sales count now)."""
        await self._session.execute(
            sa.update(bonus_accounts)
            .where(bonus_accounts.c.customer_id == customer_id)
            .values(spend_review_at=sa.func.least(bonus_accounts.c.spend_review_at, at))
        )

    async def set_next_expiry(self, customer_id: uuid.UUID, burns: Expiration | None) -> None:
        """When the account's next bonuses burn and how many, now that its lots changed."""
        await self._session.execute(
            sa.update(bonus_accounts)
            .where(bonus_accounts.c.customer_id == customer_id)
            .values(
                next_expiry_at=burns.expires_at if burns else None,
                next_expiry_amount=burns.amount if burns else None,
            )
        )


class MergedAway(MergedCustomers):
    table = merged_customers
