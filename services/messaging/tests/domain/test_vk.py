"""Reading VK's answers and Callback API events: no I/O, the shapes alone."""

import json
import uuid

import httpx
import pytest
from pydantic import SecretStr

from clientcard_messaging.channels.base import (
    AllowedByCustomer,
    DeniedByCustomer,
    InboundText,
    Outcome,
    Outgoing,
    WebhookRejected,
)
from clientcard_messaging.channels.vk import VkProvider, random_id, result
from clientcard_messaging.settings import MessagingSettings, VkCommunity

COMMUNITY = VkCommunity(
    group_id=42,
    token=SecretStr("vk1.a.secret-token"),
    confirmation_code="a1b2c3",
    secret_key=SecretStr("key"),
)
ITEM = Outgoing(uuid.uuid4(), uuid.uuid4(), "7001", "hi")


def event(kind: str, payload: object, secret: str = "key", group: int = 42) -> bytes:
    return json.dumps(
        {"type": kind, "group_id": group, "object": payload, "secret": secret}
    ).encode()


def vk_error(code: int, text: str) -> dict[str, object]:
    return {"error": {"error_code": code, "error_msg": text, "request_params": []}}


@pytest.mark.parametrize(
    ("status", "answer", "outcome", "retry_after"),
    [
        (200, {"response": 512}, Outcome.DELIVERED, None),
        (200, vk_error(6, "Too many requests per second"), Outcome.RETRY, 1.0),
        (200, vk_error(9, "Flood control"), Outcome.RETRY, None),
        (200, vk_error(10, "Internal server error"), Outcome.RETRY, None),
        (
            200,
            vk_error(901, "Can't send messages for users without permission"),
            Outcome.BLOCKED,
            None,
        ),
        (200, vk_error(900, "Can't send messages for users from blacklist"), Outcome.BLOCKED, None),
        (200, vk_error(5, "User authorization failed"), Outcome.REJECTED, None),
        (200, vk_error(7, "Permission to perform this action is denied"), Outcome.REJECTED, None),
        (502, {}, Outcome.RETRY, None),
    ],
)
def test_vk_answers_become_outcomes(
    status: int, answer: dict[str, object], outcome: Outcome, retry_after: float | None
) -> None:
    read = result(ITEM, httpx.Response(status, json=answer))
    assert (read.outcome, read.retry_after) == (outcome, retry_after)
    if outcome is Outcome.DELIVERED:
        assert read.provider_message_id == "512"


def test_a_message_keeps_one_random_id_over_its_retries() -> None:
    message = uuid.uuid4()
    assert random_id(message) == random_id(uuid.UUID(str(message)))
    assert 0 <= random_id(message) < 2**31
    assert len({random_id(uuid.uuid4()) for _ in range(1000)}) > 990


def test_the_confirmation_is_answered_for_the_community_alone() -> None:
    vk = VkProvider(COMMUNITY)
    asked = json.dumps({"type": "confirmation", "group_id": 42}).encode()
    assert vk.read_callback(asked).confirmation == "a1b2c3"
    assert vk.parse_webhook({}, asked) == []


def test_an_event_is_known_by_the_id_vk_resends_it_with() -> None:
    raw = json.loads(event("message_deny", {"user_id": 7001}))
    said = VkProvider(COMMUNITY).read_callback(json.dumps({**raw, "event_id": "e1f2"}).encode())
    assert (said.event_id, said.event_type, said.confirmation) == ("e1f2", "message_deny", None)


def test_private_messages_and_permission_changes_are_read_and_the_rest_ignored() -> None:
    vk = VkProvider(COMMUNITY)
    [text] = vk.parse_webhook({}, event("message_new", {"message": _said(7001, 7001, "9")}))
    assert isinstance(text, InboundText)
    assert (text.address, text.text) == ("7001", "9")
    [allowed] = vk.parse_webhook({}, event("message_allow", {"user_id": 7001, "key": "+7912"}))
    assert allowed == AllowedByCustomer("7001", "+7912", allowed.at)  # type: ignore[union-attr]
    [denied] = vk.parse_webhook({}, event("message_deny", {"user_id": 7001}))
    assert isinstance(denied, DeniedByCustomer)
    in_chat = event("message_new", {"message": _said(7001, 2_000_000_003, "всем")})
    assert vk.parse_webhook({}, in_chat) == []
    assert vk.parse_webhook({}, event("message_reply", {"text": "x"})) == []
    assert vk.parse_webhook({}, event("message_new", {"message": _said(7001, 7001, " ")})) == []


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (event("message_new", {}, secret="KEY"), 403),
        (json.dumps({"type": "message_deny", "group_id": 42, "object": {}}).encode(), 403),
        (event("message_new", {}, group=43), 403),
        (json.dumps({"type": "confirmation", "group_id": 1}).encode(), 403),
        (b"{", 400),
        (b"[1]", 400),
        (b" " * (300 * 1024), 413),
    ],
)
def test_events_not_from_the_communitys_server_are_rejected(raw: bytes, status: int) -> None:
    with pytest.raises(WebhookRejected) as rejected:
        VkProvider(COMMUNITY).read_callback(raw)
    assert rejected.value.status_code == status


def test_communities_are_read_from_json_and_their_token_never_shown() -> None:
    settings = MessagingSettings.model_validate(
        {
            "vk_communities": {
                "demo": {
                    "group_id": 5,
                    "token": "vk1.a.secret-token",
                    "confirmation_code": "c",
                    "secret_key": "s",
                }
            }
        }
    )
    community = settings.vk_communities["demo"]
    assert (community.messages_per_second, community.token.get_secret_value()) == (
        20.0,
        "vk1.a.secret-token",
    )
    assert "secret-token" not in repr(settings)
    with pytest.raises(ValueError, match="less than or equal to 20"):
        VkCommunity.model_validate({**community.model_dump(), "messages_per_second": 30})


def _said(sender: int, peer: int, text: str) -> dict[str, object]:
    return {"from_id": sender, "peer_id": peer, "text": text, "out": 0, "id": 0}
