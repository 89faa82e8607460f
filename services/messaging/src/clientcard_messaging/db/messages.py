"""The conversation: every message to and from customers, and the queue of unsent ones."""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from clientcard_contracts.enums import (
    Channel,
    DeliveryStatus,
    MessageDirection,
    MessageKind,
)
from clientcard_kit.db.batches import batch_ids, rows_per_batch_id
from clientcard_kit.db.pages import newest_first_pages, page_parameters
from clientcard_kit.db.repository import Repository
from clientcard_messaging.db.tables import messages, nps_responses, sandbox_sent, send_queue
from clientcard_messaging.domain.records import Message

_COLUMNS = (
    messages.c.id,
    messages.c.customer_id,
    messages.c.channel,
    messages.c.direction,
    messages.c.kind,
    messages.c.text,
    messages.c.status,
    messages.c.created_at,
    messages.c.sent_at,
    messages.c.broadcast_id,
    messages.c.failure_reason,
)
# What a client's message is counted as the answer to (its stats' `replied`).
_ANSWERABLE = (MessageKind.BROADCAST.value, MessageKind.AUTOMATION.value)
_OUT = ("SENT", "DELIVERED", "READ")


def record(row: Any) -> Message:
    return Message(
        id=row.id,
        customer_id=row.customer_id,
        channel=Channel(row.channel),
        direction=MessageDirection(row.direction),
        kind=MessageKind(row.kind),
        text=row.text,
        status=DeliveryStatus(row.status),
        created_at=row.created_at,
        sent_at=row.sent_at,
        broadcast_id=row.broadcast_id,
        failure_reason=row.failure_reason,
    )


_COUNTS = rows_per_batch_id(messages.c.customer_id)


@dataclass(frozen=True, slots=True)
class OpenSurvey:
    message_id: uuid.UUID
    receipt_id: uuid.UUID | None


class MessageRepository(Repository):
    async def add(
        self,
        message: Message,
        *,
        due_at: datetime | None = None,
        receipt_id: uuid.UUID | None = None,
    ) -> None:
        """Store a message; an outbound one with `due_at` joins the send queue."""
        await self._session.execute(
            sa.insert(messages).values(
                id=message.id,
                tenant_id=self._tenant,
                customer_id=message.customer_id,
                channel=message.channel.value,
                direction=message.direction.value,
                kind=message.kind.value,
                text=message.text,
                status=message.status.value,
                created_at=message.created_at,
                sent_at=message.sent_at,
                delivered_at=message.sent_at
                if message.direction is MessageDirection.INBOUND
                else None,
                broadcast_id=message.broadcast_id,
                receipt_id=receipt_id,
            )
        )
        if due_at is not None:
            await self._session.execute(
                insert(send_queue).values(
                    message_id=message.id, tenant_id=self._tenant, due_at=due_at
                )
            )

    async def get(self, message_id: uuid.UUID) -> Message | None:
        rows = await self._session.execute(sa.select(*_COLUMNS).where(messages.c.id == message_id))
        row = rows.first()
        return record(row) if row else None

    async def pages(
        self, customer_ids: list[uuid.UUID], limit: int, after: tuple[datetime, uuid.UUID] | None
    ) -> dict[uuid.UUID, list[Message]]:
        """A page of each customer's conversation, newest first, in one query."""
        query = newest_first_pages(
            _COLUMNS,
            messages.c.customer_id,
            messages.c.created_at,
            messages.c.id,
            after=after is not None,
        )
        rows = await self._session.execute(query, page_parameters(customer_ids, limit, after))
        found: dict[uuid.UUID, list[Message]] = defaultdict(list)
        for row in rows:
            found[row.customer_id].append(record(row))
        return found

    async def counts(self, customer_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
        rows = await self._session.execute(_COUNTS, batch_ids(customer_ids))
        return {customer_id: int(count) for customer_id, count in rows}

    async def by_provider_id(self, channel: Channel, provider_message_id: str) -> Message | None:
        rows = await self._session.execute(
            sa.select(*_COLUMNS).where(
                messages.c.tenant_id == self._tenant,
                messages.c.provider_message_id == provider_message_id,
                messages.c.channel == channel.value,
            )
        )
        row = rows.first()
        return record(row) if row else None

    async def advance(self, message_id: uuid.UUID, status: DeliveryStatus, at: datetime) -> bool:
        """Move a sent message on to DELIVERED or READ; never backwards."""
        allowed = ("SENT",) if status is DeliveryStatus.DELIVERED else ("SENT", "DELIVERED")
        values: dict[str, object] = {"status": status.value}
        if status is DeliveryStatus.DELIVERED:
            values["delivered_at"] = at
        else:
            values["read_at"] = at
            values["delivered_at"] = sa.func.coalesce(messages.c.delivered_at, at)
        result = await self._session.execute(
            sa.update(messages)
            .where(messages.c.id == message_id, messages.c.status.in_(allowed))
            .values(values)
            .returning(messages.c.id)
        )
        return result.first() is not None

    async def fail_sent(self, message_id: uuid.UUID, reason: str) -> bool:
        """A sent message the provider later reports undeliverable; never one delivered."""
        result = await self._session.execute(
            sa.update(messages)
            .where(messages.c.id == message_id, messages.c.status == DeliveryStatus.SENT.value)
            .values(status=DeliveryStatus.FAILED.value, failure_reason=reason[:500])
            .returning(messages.c.id)
        )
        return result.first() is not None

    async def send_again_as_template(self, message_id: uuid.UUID, at: datetime) -> bool:
        """Queue a sent WhatsApp text again to go as the template, once: False when it
        went as the template already, or is no longer SENT."""
        queued = await self._session.scalar(
            sa.update(messages)
            .where(
                messages.c.id == message_id,
                messages.c.status == DeliveryStatus.SENT.value,
                messages.c.template_only.is_(False),
            )
            .values(
                status=DeliveryStatus.QUEUED.value,
                template_only=True,
                provider_message_id=None,
                sent_at=None,
            )
            .returning(messages.c.id)
        )
        if queued is None:
            return False
        await self._session.execute(
            insert(send_queue).values(message_id=message_id, tenant_id=self._tenant, due_at=at)
        )
        return True

    async def reply_to_mailing(
        self, customer_id: uuid.UUID, since: datetime, at: datetime
    ) -> uuid.UUID | None:
        """Count an inbound message as the reply to the customer's latest mailing or
        automated message, if recent; the mailing's id when it was one."""
        latest = (
            sa.select(messages.c.id)
            .where(
                messages.c.customer_id == customer_id,
                messages.c.kind.in_(_ANSWERABLE),
                messages.c.status.in_(_OUT),
                messages.c.sent_at >= since,
            )
            .order_by(messages.c.sent_at.desc())
            .limit(1)
            .scalar_subquery()
        )
        result = await self._session.execute(
            sa.update(messages)
            .where(messages.c.id == latest)
            .values(replied_at=sa.func.coalesce(messages.c.replied_at, at))
            .returning(messages.c.broadcast_id)
        )
        row = result.first()
        return row[0] if row else None

    async def last_survey_at(self, customer_id: uuid.UUID) -> datetime | None:
        return await self._latest(
            sa.select(sa.func.max(messages.c.created_at)).where(
                messages.c.customer_id == customer_id,
                messages.c.kind == MessageKind.SURVEY.value,
            )
        )

    async def open_survey(self, customer_id: uuid.UUID, since: datetime) -> OpenSurvey | None:
        """The customer's latest survey sent since then, if it has no answer yet."""
        rows = await self._session.execute(
            sa.select(messages.c.id, messages.c.receipt_id)
            .where(
                messages.c.customer_id == customer_id,
                messages.c.kind == MessageKind.SURVEY.value,
                messages.c.status.in_(_OUT),
                messages.c.sent_at >= since,
                ~sa.exists().where(nps_responses.c.survey_message_id == messages.c.id),
            )
            .order_by(messages.c.sent_at.desc())
            .limit(1)
        )
        row = rows.first()
        return OpenSurvey(row.id, row.receipt_id) if row else None

    async def latest_inbound_before(
        self, customer_id: uuid.UUID, moment: datetime
    ) -> datetime | None:
        return await self._latest(
            sa.select(sa.func.max(messages.c.created_at)).where(
                messages.c.customer_id == customer_id,
                messages.c.direction == MessageDirection.INBOUND.value,
                messages.c.created_at < moment,
            )
        )

    async def _latest(self, query: sa.Select[Any]) -> datetime | None:
        found = await self._session.scalar(query)
        return found if isinstance(found, datetime) else None

    async def remove_customer(self, customer_id: uuid.UUID) -> None:
        """The customer's conversation, and what the sandbox recorded of it.

        A mailing's message already sent, and a survey that was answered, stay with
        nothing of the person left (no text, no provider id, an id that is no one's), so
        the mailing's statistics and the NPS report stay what they were; everything else
        of the conversation is deleted. Call it before the answers are anonymised.
        """
        answered = sa.select(nps_responses.c.survey_message_id).where(
            nps_responses.c.customer_id == customer_id
        )
        kept_for_figures = sa.or_(
            sa.and_(
                messages.c.kind == MessageKind.BROADCAST.value,
                messages.c.status != DeliveryStatus.QUEUED.value,
            ),
            messages.c.id.in_(answered),
        )
        await self._session.execute(
            sa.update(messages)
            .where(messages.c.customer_id == customer_id, kept_for_figures)
            .values(
                customer_id=uuid.uuid4(),
                text="",
                failure_reason=None,
                provider_message_id=None,
                receipt_id=None,
            )
        )
        await self._session.execute(
            sa.delete(messages).where(messages.c.customer_id == customer_id)
        )
        await self._session.execute(
            sa.delete(sandbox_sent).where(sandbox_sent.c.customer_id == customer_id)
        )
