"""Writing many outbox rows with one statement, for units of work that publish hundreds.

`OutboxWriter.add` stages one ORM object per event; flushing hundreds of them costs far more
than the change they announce. `OutboxBatchWriter` collects the same rows and writes them
in one INSERT over arrays when the unit of work commits; `BatchPublishingUnitOfWork` is a
unit of work that uses it. The rows are the ones `OutboxWriter` writes, so the relay and
every consumer see no difference.
"""

import json
import uuid
from datetime import UTC, datetime
from types import TracebackType

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts.events.base import Event
from clientcard_kit.db.unit_of_work import UnitOfWork
from clientcard_kit.events.outbox import OutboxWriter

# The rows travel as one JSON document: one parameter however many rows, and the events'
# JSON goes in as it is, without escaping it into an array literal.
_INSERT = text(
    """
    INSERT INTO outbox (event_id, topic, key, event_type, source, subject, tenant_id,
      occurred_at, data)
    SELECT event_id, topic, key, event_type, source, subject, tenant_id, occurred_at, data
    FROM ROWS FROM (jsonb_to_recordset(CAST(:rows AS jsonb)) AS (
      event_id uuid, topic text, key text, event_type text, source text, subject text,
      tenant_id text, occurred_at timestamptz, data jsonb)
    ) WITH ORDINALITY AS new (event_id, topic, key, event_type, source, subject, tenant_id,
      occurred_at, data, position)
    ORDER BY position
    """
)


class OutboxBatchWriter(OutboxWriter):
    def __init__(self, session: AsyncSession, *, source: str) -> None:
        super().__init__(session, source=source)
        self._pending: list[str] = []

    def add(self, event: Event) -> uuid.UUID:
        event_id = uuid.uuid4()
        envelope = json.dumps(
            {
                "event_id": str(event_id),
                "topic": event.TOPIC,
                "key": event.key(),
                "event_type": event.TYPE,
                "source": self._source,
                "subject": event.subject(),
                "tenant_id": event.tenant_id,
                "occurred_at": datetime.now(UTC).isoformat(),
            }
        )
        self._pending.append(f'{envelope[:-1]}, "data": {event.model_dump_json(by_alias=True)}}}')
        return event_id

    async def write(self) -> int:
        """Insert the collected rows, in the order they were added; returns how many."""
        pending, self._pending = self._pending, []
        if pending:
            await self._session.execute(_INSERT, {"rows": f"[{','.join(pending)}]"})
        return len(pending)

    def discard(self) -> None:
        """Forget the collected rows: the change they announce is not happening."""
        self._pending = []


class BatchPublishingUnitOfWork(UnitOfWork):
    """A unit of work whose events are written together, just before it commits.

    In a transaction it joins (an event consumer's), whoever opened it commits: the events
    still collected when the block ends without an error are written then, inside
    whatever savepoint the block ran in, so they commit or roll back with the changes they
    announce even if the block never called `commit()`. A block that ends in an error
    leaves none behind.
    """

    outbox: OutboxBatchWriter

    def _bind(self, session: AsyncSession) -> None:
        super()._bind(session)
        self.outbox = OutboxBatchWriter(session, source=self._source)

    async def commit(self) -> None:
        await self.outbox.write()
        await super().commit()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            if exc_type is None and not self._owns_transaction:
                await self.outbox.write()
            else:
                # An owned transaction that was not committed rolls back; an error undoes
                # the block's changes: either way their events must not leave.
                self.outbox.discard()
        await super().__aexit__(exc_type, exc, tb)
