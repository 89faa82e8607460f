"""Bonus accounts with their lots and ledger, read and written under the account's lock.

Every change of an account starts by locking its row until the transaction ends (`open`
and `open_many` create the account if needed; the expiry job's `lock_existing` skips rows
someone else holds), so concurrent changes of one account (a till, a manager, the expiry
job) run one after the other and each sees the others' effects.
"""

import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from clientcard_bonuses.db.tables import (
    UUID_ARRAY,
    bonus_accounts,
    bonus_lots,
    bonus_operations,
    bonus_tenants,
)
from clientcard_bonuses.domain.account import Lot, Operation, Totals
from clientcard_bonuses.domain.ledger import Ledger
from clientcard_bonuses.domain.records import Expiration
from clientcard_kit.db import bulk
from clientcard_kit.db.batches import batch_ids, one_of, one_of_batch
from clientcard_kit.db.records import row_of
from clientcard_kit.db.repository import Repository

_TOTALS = (
    bonus_accounts.c.balance,
    bonus_accounts.c.accrued,
    bonus_accounts.c.spent,
    bonus_accounts.c.expired,
    bonus_accounts.c.purchases,
    bonus_accounts.c.version,
    bonus_accounts.c.reserved,
    bonus_accounts.c.next_expiry_at,
    bonus_accounts.c.next_expiry_amount,
    bonus_accounts.c.pending,
    bonus_accounts.c.next_available_at,
    bonus_accounts.c.spend,
    bonus_accounts.c.spend_review_at,
    bonus_accounts.c.tier_id,
    bonus_accounts.c.tier_version,
)
_LOT = (
    bonus_lots.c.id,
    bonus_lots.c.accrued_at,
    bonus_lots.c.expires_at,
    bonus_lots.c.amount,
    bonus_lots.c.remaining,
    bonus_lots.c.available_at,
)


_TOTALS_OF = sa.select(bonus_accounts.c.customer_id, *_TOTALS).where(
    one_of_batch(bonus_accounts.c.customer_id)
)


def _totals(row: Any) -> Totals:
    """The totals of a row that starts with the customer id and then `_TOTALS`."""
    return Totals(*row[1 : 1 + len(_TOTALS)])


@dataclass(frozen=True, slots=True)
class OpenedAccount:
    ledger: Ledger
    existed: bool
    welcomed: bool


class AccountRepository(Repository):
    async def open(
        self, customer_id: uuid.UUID, now: datetime, *, with_lots: bool
    ) -> OpenedAccount:
        """The account, created when missing, locked for the rest of the transaction."""
        opened = await self.open_many(
            [customer_id], now, with_lots={customer_id} if with_lots else ()
        )
        return opened[customer_id]

    async def open_many(
        self, customer_ids: Iterable[uuid.UUID], now: datetime, *, with_lots: Collection[uuid.UUID]
    ) -> dict[uuid.UUID, OpenedAccount]:
        """Accounts, created when missing and locked, with their open lots where asked.

        One upsert creates or locks them all and returns their rows (`xmax = 0` marks the
        rows it inserted); accounts are taken in the order of their ids, as every batch
        takes them, so two batches never wait for each other in a circle.
        """
        ordered = sorted(set(customer_ids))
        wanted = (
            sa.func.unnest(sa.bindparam("ids", ordered, type_=UUID_ARRAY))
            .table_valued("customer_id")
            .render_derived(name="wanted")
        )
        rows = (
            await self._session.execute(
                insert(bonus_accounts)
                .from_select(
                    ["tenant_id", "customer_id", "created_at", "updated_at"],
                    sa.select(
                        sa.literal(self._tenant),
                        wanted.c.customer_id,
                        sa.literal(now, sa.DateTime(timezone=True)),
                        sa.literal(now, sa.DateTime(timezone=True)),
                    ),
                )
                .on_conflict_do_update(
                    index_elements=[bonus_accounts.c.tenant_id, bonus_accounts.c.customer_id],
                    set_={"updated_at": now},
                )
                .returning(
                    bonus_accounts.c.customer_id,
                    *_TOTALS,
                    bonus_accounts.c.welcomed,
                    sa.literal_column("xmax = 0").label("created"),
                )
            )
        ).all()
        if any(row.created for row in rows):
            await self._session.execute(
                insert(bonus_tenants).values(tenant_id=self._tenant).on_conflict_do_nothing()
            )
        lots = await self.open_lots_of([c for c in ordered if c in with_lots])
        return {
            row.customer_id: OpenedAccount(
                ledger=Ledger(
                    row.customer_id,
                    _totals(row),
                    lots.get(row.customer_id, []) if row.customer_id in with_lots else None,
                ),
                existed=not row.created,
                welcomed=row.welcomed,
            )
            for row in rows
        }

    async def lock_existing(
        self, customer_ids: Sequence[uuid.UUID]
    ) -> list[tuple[uuid.UUID, Totals]]:
        """The accounts among these that no other transaction holds, now locked by this one."""
        rows = await self._session.execute(
            sa.select(bonus_accounts.c.customer_id, *_TOTALS)
            .where(one_of(bonus_accounts.c.customer_id, customer_ids))
            .order_by(bonus_accounts.c.customer_id)
            .with_for_update(skip_locked=True)
        )
        return [(row[0], _totals(row)) for row in rows]

    async def open_lots(self, customer_id: uuid.UUID) -> list[Lot]:
        return (await self.open_lots_of([customer_id])).get(customer_id, [])

    async def open_lots_of(self, customer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Lot]]:
        """Each customer's lots with bonuses left, oldest first, in one query."""
        if not customer_ids:
            return {}
        rows = await self._session.execute(
            sa.select(bonus_lots.c.customer_id, *_LOT)
            .where(one_of(bonus_lots.c.customer_id, customer_ids), bonus_lots.c.remaining > 0)
            .order_by(bonus_lots.c.customer_id, bonus_lots.c.accrued_at, bonus_lots.c.seq)
        )
        found: dict[uuid.UUID, list[Lot]] = {}
        for row in rows:
            found.setdefault(row[0], []).append(Lot(*row[1:]))
        return found

    async def save(self, ledger: Ledger, now: datetime, *, welcomed: bool | None = None) -> None:
        await self.save_many([ledger], now, welcomed=welcomed)

    async def save_many(
        self, ledgers: Sequence[Ledger], now: datetime, *, welcomed: bool | None = None
    ) -> None:
        """Store what the ledgers added and changed, and the accounts' new totals."""
        tenant = {"tenant_id": self._tenant}
        lots = [
            {**tenant, "customer_id": ledger.customer_id, **_lot_row(lot)}
            for ledger in ledgers
            for lot in ledger.new_lots
        ]
        await bulk.insert_rows(self._session, bonus_lots, lots)
        changed = [
            {"id": lot.id, "remaining": lot.remaining}
            for ledger in ledgers
            for lot in ledger.changed_lots.values()
        ]
        await bulk.update_rows(self._session, bonus_lots, "id", changed)
        operations = [
            {**tenant, "customer_id": ledger.customer_id, **_operation_row(op)}
            for ledger in ledgers
            for op in ledger.operations
        ]
        await bulk.insert_rows(self._session, bonus_operations, operations)
        totals = [
            {"customer_id": ledger.customer_id, **asdict(ledger.totals)} for ledger in ledgers
        ]
        fixed: dict[str, Any] = {"updated_at": now}
        if welcomed is not None:
            fixed["welcomed"] = welcomed
        await bulk.update_rows(self._session, bonus_accounts, "customer_id", totals, **fixed)

    async def remove(self, customer_id: uuid.UUID) -> bool:
        """Erase the account with its lots, ledger and receipts (the foreign keys cascade)."""
        result = await self._session.execute(
            sa.delete(bonus_accounts)
            .where(bonus_accounts.c.customer_id == customer_id)
            .returning(bonus_accounts.c.customer_id)
        )
        return result.first() is not None

    async def exists(self, customer_id: uuid.UUID) -> bool:
        return bool(await self.totals([customer_id]))

    async def totals(self, customer_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Totals]:
        rows = await self._session.execute(_TOTALS_OF, batch_ids(customer_ids))
        return {row[0]: _totals(row) for row in rows}

    async def next_expirations(
        self, customer_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, Expiration]:
        """For each customer, the open lots with the earliest expiry and what they hold."""
        ranked = (
            sa.select(
                bonus_lots.c.customer_id,
                bonus_lots.c.expires_at,
                bonus_lots.c.remaining,
                sa.func.rank()
                .over(partition_by=bonus_lots.c.customer_id, order_by=bonus_lots.c.expires_at)
                .label("rank"),
            )
            .where(
                one_of(bonus_lots.c.customer_id, customer_ids),
                bonus_lots.c.remaining > 0,
                bonus_lots.c.expires_at.is_not(None),
            )
            .subquery()
        )
        rows = await self._session.execute(
            sa.select(ranked.c.customer_id, sa.func.sum(ranked.c.remaining), ranked.c.expires_at)
            .where(ranked.c.rank == 1)
            .group_by(ranked.c.customer_id, ranked.c.expires_at)
        )
        return {row[0]: Expiration(amount=row[1], expires_at=row[2]) for row in rows}

    async def customers_with_expired_lots(self, now: datetime, limit: int) -> list[uuid.UUID]:
        # An account whose whole balance is held has nothing that may burn yet: left out,
        # it cannot keep the job busy, nor crowd out accounts that can.
        rows = await self._session.scalars(
            sa.select(bonus_lots.c.customer_id)
            .join(
                bonus_accounts,
                sa.and_(
                    bonus_accounts.c.tenant_id == bonus_lots.c.tenant_id,
                    bonus_accounts.c.customer_id == bonus_lots.c.customer_id,
                ),
            )
            .where(
                bonus_lots.c.remaining > 0,
                bonus_lots.c.expires_at.is_not(None),
                bonus_lots.c.expires_at <= now,
                bonus_accounts.c.balance > bonus_accounts.c.reserved,
            )
            .group_by(bonus_lots.c.customer_id)
            .limit(limit)
        )
        return list(rows)


def _lot_row(lot: Lot) -> dict[str, Any]:
    return row_of(lot)


def _operation_row(operation: Operation) -> dict[str, Any]:
    # The customer's id comes with the ledger; an operation recorded before the column
    # existed counts as recorded when it occurred.
    return row_of(
        operation,
        leave_out=("customer_id",),
        type=operation.type.value,
        event=operation.event.value,
        recorded_at=operation.recorded,
    )
