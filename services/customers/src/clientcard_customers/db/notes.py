"""Notes on customers, newest first."""

import uuid
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from clientcard_customers.db.tables import notes
from clientcard_customers.domain.records import Note
from clientcard_kit.db.batches import batch_ids, rows_per_batch_id
from clientcard_kit.db.pages import newest_first_pages, page_parameters
from clientcard_kit.db.records import row_of
from clientcard_kit.db.repository import Repository

_COLUMNS = (
    notes.c.id,
    notes.c.customer_id,
    notes.c.text,
    notes.c.author,
    notes.c.created_at,
    notes.c.updated_at,
)


_COUNTS = rows_per_batch_id(notes.c.customer_id)


class NoteRepository(Repository):
    async def get(self, note_id: uuid.UUID) -> Note | None:
        row = (
            await self._session.execute(sa.select(*_COLUMNS).where(notes.c.id == note_id))
        ).first()
        return Note(*row) if row else None

    async def add(self, note: Note) -> None:
        await self._session.execute(sa.insert(notes).values(tenant_id=self._tenant, **row_of(note)))

    async def change_text(self, note_id: uuid.UUID, text: str, now: datetime) -> Note | None:
        row = (
            await self._session.execute(
                sa.update(notes)
                .where(notes.c.id == note_id)
                .values(text=text, updated_at=now)
                .returning(*_COLUMNS)
            )
        ).first()
        return Note(*row) if row else None

    async def remove(self, note_id: uuid.UUID) -> bool:
        result = await self._session.execute(
            sa.delete(notes).where(notes.c.id == note_id).returning(notes.c.id)
        )
        return result.first() is not None

    async def pages(
        self,
        customer_ids: Iterable[uuid.UUID],
        limit: int,
        after: tuple[datetime, uuid.UUID] | None,
    ) -> dict[uuid.UUID, list[Note]]:
        """The first `limit` notes after a position for each customer, in one query."""
        query = newest_first_pages(
            _COLUMNS, notes.c.customer_id, notes.c.created_at, notes.c.id, after=after is not None
        )
        rows = await self._session.execute(query, page_parameters(customer_ids, limit, after))
        found: dict[uuid.UUID, list[Note]] = {}
        for row in rows:
            found.setdefault(row.customer_id, []).append(Note(*row))
        return found

    async def counts(self, customer_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
        rows = await self._session.execute(_COUNTS, batch_ids(customer_ids))
        return dict(rows.all())
