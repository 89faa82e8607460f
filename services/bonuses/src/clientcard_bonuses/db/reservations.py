"""Reservations of bonuses, read and written after their accounts are locked.

Every path that changes a reservation locks its account first and the reservation row
second (a till's release, a receipt's commit, the expiry job), so none of them can wait
for another in a circle.
"""

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from clientcard_bonuses.db.tables import bonus_reservations
from clientcard_bonuses.domain.reservations import Reservation
from clientcard_contracts.enums import ReservationStatus
from clientcard_kit.db import bulk
from clientcard_kit.db.batches import batch_ids, one_of_batch
from clientcard_kit.db.records import record_from_row, row_of
from clientcard_kit.db.repository import Repository

_COLUMNS = (
    bonus_reservations.c.id,
    bonus_reservations.c.customer_id,
    bonus_reservations.c.amount,
    bonus_reservations.c.total,
    bonus_reservations.c.status,
    bonus_reservations.c.created_at,
    bonus_reservations.c.expires_at,
    bonus_reservations.c.receipt_id,
    bonus_reservations.c.receipt_number,
    bonus_reservations.c.finished_at,
)
_BY_IDS = sa.select(*_COLUMNS).where(one_of_batch(bonus_reservations.c.id))
_LOCKED_BY_IDS = _BY_IDS.order_by(bonus_reservations.c.id).with_for_update()


class ReservationRepository(Repository):
    async def get_many(
        self, ids: Iterable[uuid.UUID], *, for_update: bool = False
    ) -> dict[uuid.UUID, Reservation]:
        query = _LOCKED_BY_IDS if for_update else _BY_IDS
        rows = await self._session.execute(query, batch_ids(ids))
        return {row.id: _reservation(row._mapping) for row in rows}

    async def get(
        self, reservation_id: uuid.UUID, *, for_update: bool = False
    ) -> Reservation | None:
        return (await self.get_many([reservation_id], for_update=for_update)).get(reservation_id)

    async def add(self, reservation: Reservation) -> None:
        await self._session.execute(
            sa.insert(bonus_reservations).values(tenant_id=self._tenant, **_row(reservation))
        )

    async def save_many(self, reservations: Sequence[Reservation]) -> None:
        """Store the outcome of reservations that ended, in one statement."""
        rows = [
            {
                "id": reservation.id,
                "status": reservation.status.value,
                "finished_at": reservation.finished_at,
                "receipt_id": reservation.receipt_id,
                "receipt_number": reservation.receipt_number,
            }
            for reservation in reservations
        ]
        await bulk.update_rows(self._session, bonus_reservations, "id", rows)

    async def due(self, now: datetime, limit: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
        """Held reservations past their end, as (customer, reservation), oldest end first."""
        rows = await self._session.execute(
            sa.select(bonus_reservations.c.customer_id, bonus_reservations.c.id)
            .where(
                bonus_reservations.c.status == ReservationStatus.HELD.value,
                bonus_reservations.c.expires_at <= now,
            )
            .order_by(bonus_reservations.c.expires_at)
            .limit(limit)
        )
        return [(row[0], row[1]) for row in rows]


def _reservation(row: "sa.RowMapping | dict[str, Any]") -> Reservation:
    return record_from_row(Reservation, row, status=ReservationStatus(row["status"]))


def _row(reservation: Reservation) -> dict[str, Any]:
    return row_of(reservation, status=reservation.status.value)
