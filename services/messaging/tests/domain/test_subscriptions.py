from datetime import UTC, datetime, timedelta

import pytest

from clientcard_contracts.enums import Channel, MessengerStatus
from clientcard_messaging.domain import subscriptions as rules
from clientcard_messaging.domain.errors import Conflict, InvalidInput, NotFound
from clientcard_messaging.domain.records import Subscription

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def linked(*channels: Channel) -> list[Subscription]:
    current: list[Subscription] = []
    for n, channel in enumerate(channels):
        current = rules.link(current, channel, f"{1000 + n}", T0 + timedelta(minutes=n))
    return current


def defaults(current: list[Subscription]) -> list[Channel]:
    return [s.channel for s in current if s.is_default]


def test_the_first_link_is_the_default_and_later_links_do_not_take_it() -> None:
    current = linked(Channel.TELEGRAM, Channel.VK)
    assert defaults(current) == [Channel.TELEGRAM]


def test_relinking_the_same_address_changes_nothing() -> None:
    current = linked(Channel.TELEGRAM)
    assert rules.link(current, Channel.TELEGRAM, "1000", T0 + timedelta(days=1)) == current


def test_moving_the_default_and_losing_it_to_an_unsubscribe() -> None:
    current = rules.make_default(linked(Channel.TELEGRAM, Channel.VK, Channel.SMS), Channel.VK)
    assert defaults(current) == [Channel.VK]
    after = rules.deactivate(current, Channel.VK, forget_address=True)
    # The longest-standing active subscription takes over.
    assert defaults(after) == [Channel.TELEGRAM]
    stopped = rules.find(after, Channel.VK)
    assert stopped is not None
    assert (stopped.status, stopped.address) == (MessengerStatus.INACTIVE, None)


def test_a_block_keeps_the_address_and_nothing_active_means_no_default() -> None:
    after = rules.deactivate(linked(Channel.TELEGRAM), Channel.TELEGRAM, forget_address=False)
    assert defaults(after) == []
    assert after[0].address == "1000"
    assert rules.overall_status(after) is MessengerStatus.INACTIVE
    assert rules.overall_status([]) is None


def test_a_relinked_default_channel_is_the_default_again() -> None:
    current = linked(Channel.TELEGRAM, Channel.VK)
    moved = rules.link(current, Channel.TELEGRAM, "2000", T0 + timedelta(days=1))
    assert defaults(moved) == [Channel.TELEGRAM]


def test_default_rules_refuse_inactive_and_missing_channels() -> None:
    current = rules.deactivate(
        linked(Channel.TELEGRAM, Channel.VK), Channel.VK, forget_address=True
    )
    with pytest.raises(Conflict):
        rules.make_default(current, Channel.VK)
    with pytest.raises(NotFound):
        rules.make_default(current, Channel.SMS)
    with pytest.raises(Conflict):
        rules.sending_channel(current, Channel.VK)
    assert rules.sending_channel(current, None).channel is Channel.TELEGRAM
    with pytest.raises(Conflict):
        rules.sending_channel([], None)


@pytest.mark.parametrize(
    ("channel", "raw", "expected"),
    [
        (Channel.TELEGRAM, " 123456789 ", "123456789"),
        (Channel.TELEGRAM, "-1001234567890", "-1001234567890"),
        (Channel.SMS, "8 (912) 345-67-89", "+79123456789"),
        (Channel.WHATSAPP, "+7 912 345 67 89", "+79123456789"),
        (Channel.VK, "55501", "55501"),
    ],
)
def test_addresses_have_one_spelling(channel: Channel, raw: str, expected: str) -> None:
    assert rules.address(channel, raw) == expected


@pytest.mark.parametrize(
    ("channel", "raw"),
    [(Channel.TELEGRAM, "@anna"), (Channel.VK, ""), (Channel.SMS, "12"), (Channel.VIBER, "abc")],
)
def test_bad_addresses_are_refused(channel: Channel, raw: str) -> None:
    with pytest.raises(InvalidInput):
        rules.address(channel, raw)
