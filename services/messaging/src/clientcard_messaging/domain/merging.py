"""A merge of two customers' messengers: the survivor keeps its own subscription on every
channel it has one on (its chat is the one staff have been writing to), and takes the
duplicate's on the channels it lacks. Its default stays if active; otherwise the
longest-standing active subscription becomes the default, as after any change."""

from dataclasses import replace

from clientcard_messaging.domain.records import Subscription
from clientcard_messaging.domain.subscriptions import with_one_default


def merged_subscriptions(
    survivor: list[Subscription], duplicate: list[Subscription]
) -> list[Subscription]:
    held = {subscription.channel for subscription in survivor}
    taken = [replace(s, is_default=False) for s in duplicate if s.channel not in held]
    if not taken:
        return survivor
    return with_one_default([*survivor, *taken])


def merged_version(survivor: int, duplicate: int) -> int:
    """The survivor's messengers version after a merge: above both cards' so far, so the
    new picture wins over anything either published."""
    return max(survivor, duplicate) + 1
