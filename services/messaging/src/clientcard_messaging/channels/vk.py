"""The VK provider: a community's `messages.send` out, its Callback API in.

VK answers every method call with HTTP 200: `{"response": <message id>}` on success,
`{"error": {"error_code": …, "error_msg": …}}` on failure. A message VK accepts is in the
customer's dialog with the community (community messages have no delivery receipts), so
it is reported DELIVERED. Errors 900-902 mean the customer cannot be written to (they
blacklisted the community, never allowed or withdrew its messages, or their privacy
settings forbid it); 1, 6, 9 and 10 pass (unknown, too many requests a second, flood
control, VK's internal error); the rest (5 a bad token, 7 no permission, 100 a bad
parameter…) will not get better by retrying.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from clientcard_messaging.channels.base import (
    AllowedByCustomer,
    DeniedByCustomer,
    Inbound,
    InboundText,
    Outcome,
    Outgoing,
    SendResult,
    WebhookRejected,
)
from clientcard_messaging.channels.calls import PacedProvider, int32_key
from clientcard_messaging.channels.signatures import same_secret
from clientcard_messaging.settings import VkCommunity

MAX_BODY = 256 * 1024
PASSING = {1, 6, 9, 10}
UNREACHABLE = {900, 901, 902}
# Peer ids from this one up are group chats; a customer writes from a private dialog.
FIRST_CHAT_PEER = 2_000_000_000
# VK names no wait for "too many requests per second": the next second is a free one.
RATE_LIMITED_WAIT = 1.0


@dataclass(frozen=True, slots=True)
class Callback:
    """What a Callback API call says: the confirmation VK asks for, or inbound items and
    the id VK resends the event with."""

    confirmation: str | None
    items: list[Inbound]
    event_id: str | None = None
    event_type: str = ""


# VK's idempotency key of a message (`random_id`): the same on every retry of it.
random_id = int32_key


class VkProvider(PacedProvider):
    name = "vk"

    def __init__(
        self, community: VkCommunity, *, timeout: float = 10.0, concurrency: int = 8
    ) -> None:
        self._community = community
        super().__init__(
            f"vk:{community.group_id}",
            community.messages_per_second,
            timeout=timeout,
            concurrency=concurrency,
        )

    async def _send_one(self, client: httpx.AsyncClient, item: Outgoing) -> SendResult:
        community = self._community
        # A form body, not the query string: the token stays out of access logs.
        form = {
            "peer_id": item.address,
            "message": item.text,
            "random_id": str(random_id(item.message_id)),
            "access_token": community.token.get_secret_value(),
            "v": community.api_version,
        }
        url = f"{community.base_url.rstrip('/')}/method/messages.send"
        try:
            response = await client.post(url, data=form)
        except httpx.HTTPError as exc:
            return SendResult(item.message_id, Outcome.RETRY, reason=f"VK unreachable: {exc}")
        return result(item, response)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[Inbound]:
        return self.read_callback(body).items

    def read_callback(self, body: bytes) -> Callback:
        """A Callback API call; WebhookRejected when it is not from this community's server."""
        if len(body) > MAX_BODY:
            raise WebhookRejected(413, "the event is too large")
        try:
            event = json.loads(body)
        except ValueError:
            raise WebhookRejected(400, "the event is not JSON") from None
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise WebhookRejected(400, "not a Callback API event")
        if event.get("group_id") != self._community.group_id:
            raise WebhookRejected(403, "the event is for another community")
        if event["type"] == "confirmation":
            return Callback(self._community.confirmation_code, [])
        if not same_secret(event.get("secret"), self._community.secret_key.get_secret_value()):
            raise WebhookRejected(403, "wrong or missing secret key")
        kind, event_id = event["type"], event.get("event_id")
        said = _read_event(kind, event.get("object"))
        return Callback(None, said, event_id if isinstance(event_id, str) else None, kind)


def result(item: Outgoing, response: httpx.Response) -> SendResult:
    """What a `messages.send` answer means for the message."""
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if response.status_code != 200 or not isinstance(body, dict):
        return SendResult(item.message_id, Outcome.RETRY, reason=f"VK HTTP {response.status_code}")
    if "response" in body:
        sent = str(body["response"])
        return SendResult(item.message_id, Outcome.DELIVERED, provider_message_id=sent)
    found = body.get("error")
    error: dict[str, Any] = found if isinstance(found, dict) else {}
    code = error.get("error_code")
    reason = f"VK error {code}: {error.get('error_msg') or 'no description'}"
    if code in UNREACHABLE:
        return SendResult(item.message_id, Outcome.BLOCKED, reason=reason)
    if code in PASSING or code is None:
        wait = RATE_LIMITED_WAIT if code == 6 else None
        return SendResult(item.message_id, Outcome.RETRY, reason=reason, retry_after=wait)
    return SendResult(item.message_id, Outcome.REJECTED, reason=reason)


def _read_event(kind: str, payload: object) -> list[Inbound]:
    # Stamped on arrival, as Telegram's updates are: the conversation keeps the order in
    # which the service saw messages both ways.
    now = datetime.now(UTC)
    if not isinstance(payload, dict):
        return []
    if kind == "message_new":
        message = payload.get("message")
        if not isinstance(message, dict):
            return []
        sender, peer, text = message.get("from_id"), message.get("peer_id"), message.get("text")
        private = isinstance(peer, int) and 0 < peer < FIRST_CHAT_PEER and peer == sender
        if private and isinstance(text, str) and text.strip():
            return [InboundText(str(sender), text, now)]
        return []
    user = payload.get("user_id")
    if not isinstance(user, int) or user <= 0:
        return []
    if kind == "message_allow":
        key = payload.get("key")
        return [AllowedByCustomer(str(user), key if isinstance(key, str) and key else None, now)]
    if kind == "message_deny":
        return [DeniedByCustomer(str(user), now)]
    # Replies the community wrote, edits, typing and the rest carry nothing acted on here.
    return []
