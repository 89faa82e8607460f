"""The sandbox provider: for development and demos, it sends nothing anywhere.

Every text "sent" is recorded in the `sandbox_sent` table and reported delivered at once.
Inbound traffic is posted to `/channels/sandbox/{tenant}/inbound` as JSON, either a
customer's text `{"channel": "TELEGRAM", "address": "1001", "text": "9 спасибо"}` or a
later report `{"channel": "TELEGRAM", "messageId": "<id>", "status": "READ"}`, or a block
`{"channel": "TELEGRAM", "address": "1001", "blocked": true}`.
"""

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_contracts.enums import Channel, DeliveryStatus
from clientcard_messaging.channels.base import (
    BlockedByCustomer,
    DeliveryReport,
    Inbound,
    InboundText,
    Outcome,
    Outgoing,
    SendResult,
    WebhookRejected,
)

MAX_BODY = 64 * 1024
_RECORD = sa.text(
    "INSERT INTO sandbox_sent (message_id, tenant_id, customer_id, address, text, sent_at) "
    "SELECT id, :tenant, customer_id, address, text, :now FROM unnest(CAST(:ids AS uuid[]), "
    "CAST(:customers AS uuid[]), CAST(:addresses AS text[]), CAST(:texts AS text[])) "
    "AS sent(id, customer_id, address, text)"
)


class SandboxInbound(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    channel: Channel
    address: str | None = Field(default=None, min_length=1, max_length=64)
    text: str | None = Field(default=None, min_length=1, max_length=4096)
    message_id: uuid.UUID | None = Field(default=None, alias="messageId")
    status: DeliveryStatus | None = None
    blocked: bool = False


class SandboxProvider:
    name = "sandbox"

    def __init__(
        self, session: AsyncSession, tenant: str, *, messages_per_second: float = 0.0
    ) -> None:
        self._session = session
        self._tenant = tenant
        self.messages_per_second = messages_per_second

    async def send(self, batch: Sequence[Outgoing]) -> list[SendResult]:
        if not batch:
            return []
        # One statement over arrays: a mailing's batch is hundreds of rows.
        await self._session.execute(
            _RECORD,
            {
                "ids": [item.message_id for item in batch],
                "customers": [item.customer_id for item in batch],
                "addresses": [item.address for item in batch],
                "texts": [item.text for item in batch],
                "tenant": self._tenant,
                "now": datetime.now(UTC),
            },
        )
        return [SendResult(item.message_id, Outcome.DELIVERED) for item in batch]

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[Inbound]:
        return parse_sandbox(body)[1]


def parse_sandbox(body: bytes) -> tuple[Channel, list[Inbound]]:
    """The channel a sandbox post stands in for, and what it says."""
    if len(body) > MAX_BODY:
        raise WebhookRejected(413, "the body is too large")
    try:
        posted = SandboxInbound.model_validate(json.loads(body))
    except (ValueError, ValidationError) as exc:
        raise WebhookRejected(400, f"not a sandbox message: {exc}") from None
    return posted.channel, [_inbound(posted)]


def _inbound(posted: SandboxInbound) -> Inbound:
    now = datetime.now(UTC)
    if posted.blocked and posted.address:
        return BlockedByCustomer(posted.address, now)
    if posted.message_id and posted.status in (DeliveryStatus.DELIVERED, DeliveryStatus.READ):
        return DeliveryReport(posted.message_id, None, posted.status, now)
    if posted.address and posted.text:
        return InboundText(posted.address, posted.text, now)
    raise WebhookRejected(
        400, "give address and text, messageId and status DELIVERED or READ, or blocked"
    )
