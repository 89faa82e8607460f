"""The kit's own tables, present in every service's database.

They are infrastructure, not merchant data: the relay reads the outbox across tenants and
the inbox is keyed by event id, so neither carries a row-level security policy. Each
service's first migration creates them with `clientcard_kit.db.migrations`.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Identity, Index, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class KitBase(DeclarativeBase):
    pass


class OutboxMessage(KitBase):
    """An event written in the same transaction as the change it announces."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_unpublished", "seq", postgresql_where=text("published_at IS NULL")),
    )

    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(UUID, unique=True)
    topic: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(Text)
    event_type: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    tenant_id: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # The W3C trace context of the transaction that wrote the row (null when untraced).
    traceparent: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class InboxEntry(KitBase):
    """An event a consumer has processed; its effects were committed with this row."""

    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_processed_at", "processed_at"),)

    consumer: Mapped[str] = mapped_column(Text, primary_key=True)
    event_id: Mapped[str] = mapped_column(Text, primary_key=True)
    event_type: Mapped[str] = mapped_column(Text)
    processed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
