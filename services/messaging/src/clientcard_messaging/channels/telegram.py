"""The Telegram Bot API provider: `sendMessage` out, webhook updates in.

Telegram has no delivery receipts for bots: a message it accepts is in the customer's
chat, so an accepted send is reported DELIVERED. A 403 ("bot was blocked by the user",
"user is deactivated") means the customer is unreachable on Telegram; a 429 carries the
seconds to wait in `parameters.retry_after`; a 400 (e.g. "chat not found") will not get
better by retrying; anything else (5xx, timeouts, no answer) is retried later.
"""

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from clientcard_messaging.channels.base import (
    BlockedByCustomer,
    Inbound,
    InboundText,
    Outcome,
    Outgoing,
    PhoneShared,
    SendResult,
    WebhookRejected,
)
from clientcard_messaging.channels.calls import PacedProvider
from clientcard_messaging.channels.signatures import same_secret
from clientcard_messaging.settings import TelegramBot

SECRET_HEADER = "x-telegram-bot-api-secret-token"
MAX_BODY = 256 * 1024
# Chat member statuses that mean the bot can no longer write to the private chat.
_GONE = {"kicked", "left"}


class TelegramProvider(PacedProvider):
    name = "telegram"

    def __init__(self, bot: TelegramBot, *, timeout: float = 10.0, concurrency: int = 8) -> None:
        self._bot = bot
        # Keyed by the bot's id (the token's part before the colon), never the token itself.
        bot_id = bot.token.get_secret_value().partition(":")[0]
        super().__init__(
            f"telegram:{bot_id}",
            bot.messages_per_second,
            timeout=timeout,
            concurrency=concurrency,
        )

    @property
    def _send_url(self) -> str:
        return (
            f"{self._bot.base_url.rstrip('/')}/bot{self._bot.token.get_secret_value()}/sendMessage"
        )

    async def _send_one(self, client: httpx.AsyncClient, item: Outgoing) -> SendResult:
        try:
            response = await client.post(
                self._send_url, json={"chat_id": item.address, "text": item.text}
            )
        except httpx.HTTPError as exc:
            return SendResult(item.message_id, Outcome.RETRY, reason=f"Telegram unreachable: {exc}")
        return _result(item, response)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[Inbound]:
        if not same_secret(headers.get(SECRET_HEADER), self._bot.webhook_secret.get_secret_value()):
            raise WebhookRejected(401, "wrong or missing secret token")
        if len(body) > MAX_BODY:
            raise WebhookRejected(413, "the update is too large")
        try:
            update = json.loads(body)
        except ValueError:
            raise WebhookRejected(400, "the update is not JSON") from None
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            raise WebhookRejected(400, "not a Telegram update")
        return _read_update(update)


def _result(item: Outgoing, response: httpx.Response) -> SendResult:
    try:
        body: dict[str, Any] = response.json()
    except ValueError:
        body = {}
    description = str(body.get("description") or f"HTTP {response.status_code}")
    if response.status_code == 200 and body.get("ok") is True:
        sent = body.get("result") or {}
        message_id = sent.get("message_id") if isinstance(sent, dict) else None
        return SendResult(
            item.message_id,
            Outcome.DELIVERED,
            provider_message_id=str(message_id) if message_id is not None else None,
        )
    if response.status_code == 429:
        parameters = body.get("parameters") or {}
        retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
        return SendResult(
            item.message_id,
            Outcome.RETRY,
            reason=description,
            retry_after=float(retry_after) if isinstance(retry_after, int | float) else None,
        )
    if response.status_code == 403:
        return SendResult(item.message_id, Outcome.BLOCKED, reason=description)
    if response.status_code == 400:
        return SendResult(item.message_id, Outcome.REJECTED, reason=description)
    return SendResult(item.message_id, Outcome.RETRY, reason=description)


def _own_contact(message: dict[str, Any]) -> PhoneShared | None:
    """A contact the user shared of themselves (the "share my phone" button), else None.

    Telegram fills `contact.user_id` with the sender's id only for their own contact, so
    unlike a typed `/start <phone>` this phone is the customer's for sure.
    """
    contact, sender, chat = message.get("contact"), message.get("from"), message.get("chat")
    if not (isinstance(contact, dict) and isinstance(sender, dict) and isinstance(chat, dict)):
        return None
    phone = contact.get("phone_number")
    if contact.get("user_id") != sender.get("id") or not isinstance(phone, str) or "id" not in chat:
        return None
    return PhoneShared(str(chat["id"]), phone, datetime.now(UTC))


def _read_update(update: dict[str, Any]) -> list[Inbound]:
    # Stamped on arrival rather than with Telegram's `date` (whole seconds), so that the
    # conversation keeps the order in which the service saw messages both ways.
    message = update.get("message")
    if isinstance(message, dict):
        shared = _own_contact(message)
        if shared is not None:
            return [shared]
        chat, text = message.get("chat"), message.get("text")
        if isinstance(chat, dict) and "id" in chat and isinstance(text, str) and text.strip():
            return [InboundText(str(chat["id"]), text, datetime.now(UTC))]
        return []
    member = update.get("my_chat_member")
    if isinstance(member, dict):
        chat, new = member.get("chat"), member.get("new_chat_member")
        if isinstance(chat, dict) and isinstance(new, dict) and new.get("status") in _GONE:
            return [BlockedByCustomer(str(chat.get("id")), datetime.now(UTC))]
    # Edited messages, callbacks and the rest carry nothing this service acts on.
    return []
