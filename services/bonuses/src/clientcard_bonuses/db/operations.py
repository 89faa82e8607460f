"""The ledger's operations as the card's table reads them: pages and counts per customer,
and one operation by its id.

Operations are written with their account (see `accounts`); here they are only read,
a batch of customers at a time, each page a walk down the customer's own index.
"""

import uuid
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import sqlalchemy as sa

from clientcard_bonuses.db.tables import UUID_ARRAY, bonus_operations
from clientcard_bonuses.domain.account import Operation
from clientcard_contracts.enums import BonusEvent, BonusOperationType
from clientcard_kit.db.batches import BATCH, batch_ids, one_of, rows_per_batch_id
from clientcard_kit.db.records import record_from_row
from clientcard_kit.db.repository import Repository

_OPERATION = (
    bonus_operations.c.id,
    bonus_operations.c.customer_id,
    bonus_operations.c.number,
    bonus_operations.c.occurred_at,
    bonus_operations.c.type,
    bonus_operations.c.event,
    bonus_operations.c.amount,
    bonus_operations.c.balance_after,
    bonus_operations.c.receipt_id,
    bonus_operations.c.comment,
    bonus_operations.c.author,
    bonus_operations.c.expires_at,
    bonus_operations.c.recorded_at,
    bonus_operations.c.available_at,
)
_OPERATION_COUNTS = rows_per_batch_id(bonus_operations.c.customer_id)


@cache
def _operation_pages(*, with_before: bool, with_type: bool) -> sa.Select[Any]:
    """Each wanted customer's newest operations: a LATERAL page per customer, so each
    page is a walk down the customer's own index, built once per shape."""
    wanted = (
        sa.func.unnest(sa.bindparam(BATCH, type_=UUID_ARRAY))
        .table_valued("customer_id")
        .render_derived(name="wanted")
    )
    page = sa.select(*_OPERATION).where(bonus_operations.c.customer_id == wanted.c.customer_id)
    if with_before:
        page = page.where(bonus_operations.c.number < sa.bindparam("before"))
    if with_type:
        page = page.where(bonus_operations.c.type == sa.bindparam("operation_type"))
    lateral = (
        page.order_by(bonus_operations.c.number.desc())
        .limit(sa.bindparam("page_limit"))
        .lateral("page")
    )
    return sa.select(*(lateral.c[column.name] for column in _OPERATION)).select_from(
        wanted.join(lateral, sa.true())
    )


class OperationRepository(Repository):
    async def pages(
        self,
        customer_ids: Sequence[uuid.UUID],
        limit: int,
        before: int | None,
        type_: BonusOperationType | None,
    ) -> dict[uuid.UUID, list[Operation]]:
        """Each customer's operations, newest first, after a position, in one query."""
        query = _operation_pages(with_before=before is not None, with_type=type_ is not None)
        values = {**batch_ids(customer_ids), "page_limit": limit}
        if before is not None:
            values["before"] = before
        if type_ is not None:
            values["operation_type"] = type_.value
        rows = await self._session.execute(query, values)
        found: dict[uuid.UUID, list[Operation]] = {}
        for row in rows:
            found.setdefault(row.customer_id, []).append(to_operation(row._mapping))
        return found

    async def find(self, operation_id: uuid.UUID) -> Operation | None:
        """An operation by its id (a manual one asked for again with its request id)."""
        row = (
            (
                await self._session.execute(
                    sa.select(*_OPERATION).where(bonus_operations.c.id == operation_id)
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else to_operation(row)

    async def made_among(self, operation_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        """Which of these operation ids the ledger has already made (in one query)."""
        found = await self._session.scalars(
            sa.select(bonus_operations.c.id).where(one_of(bonus_operations.c.id, operation_ids))
        )
        return set(found)

    async def counts(
        self, customer_ids: Iterable[uuid.UUID], type_: BonusOperationType | None
    ) -> dict[uuid.UUID, int]:
        values = batch_ids(customer_ids)
        query = _OPERATION_COUNTS
        if type_ is not None:
            query = query.where(bonus_operations.c.type == sa.bindparam("operation_type"))
            values["operation_type"] = type_.value
        rows = await self._session.execute(query, values)
        return {customer_id: int(count) for customer_id, count in rows}


def to_operation(row: "sa.RowMapping | dict[str, Any]") -> Operation:
    return record_from_row(
        Operation, row, type=BonusOperationType(row["type"]), event=BonusEvent(row["event"])
    )
