"""Whose messengers the survivor of a merge keeps, and which one it is written to."""

from datetime import UTC, datetime

from clientcard_contracts.enums import Channel, MessengerStatus
from clientcard_messaging.domain.merging import merged_subscriptions, merged_version
from clientcard_messaging.domain.records import Subscription

EARLY, LATE = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)
ACTIVE, INACTIVE = MessengerStatus.ACTIVE, MessengerStatus.INACTIVE


def _on(channel: Channel, status: MessengerStatus, default: bool, at: datetime) -> Subscription:
    return Subscription(channel, f"{channel.value}-address", status, default, at)


def test_the_survivor_keeps_its_own_channel_and_default_and_takes_the_channels_it_lacks() -> None:
    survivor = [_on(Channel.SMS, ACTIVE, True, LATE)]
    duplicate = [_on(Channel.SMS, ACTIVE, True, EARLY), _on(Channel.VK, ACTIVE, False, EARLY)]
    merged = merged_subscriptions(survivor, duplicate)
    assert [(s.channel, s.is_default, s.subscribed_at) for s in merged] == [
        (Channel.SMS, True, LATE),
        (Channel.VK, False, EARLY),
    ]


def test_a_survivor_with_nothing_active_is_written_to_on_the_duplicates_oldest_active() -> None:
    survivor = [_on(Channel.SMS, INACTIVE, False, EARLY)]
    duplicate = [
        _on(Channel.VK, ACTIVE, False, LATE),
        _on(Channel.WHATSAPP, ACTIVE, True, EARLY),
    ]
    merged = merged_subscriptions(survivor, duplicate)
    assert [s.channel for s in merged if s.is_default] == [Channel.WHATSAPP]
    assert merged_subscriptions(survivor, []) == survivor


def test_the_merged_version_is_above_both_cards() -> None:
    assert merged_version(3, 7) == 8
    assert merged_version(4, 0) == 5
