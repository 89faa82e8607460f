"""What merchants and customers do through messaging (`conversation`), what comes in from
the channels (`inbound`) and what goes out (`sending`): each command one change,
committed with the events it publishes (`publishing`).
"""

from clientcard_messaging.commands.conversation import (
    cancel_broadcast,
    create_broadcast,
    erase_customer,
    link_messenger,
    locked_subscriptions,
    mark_blocked,
    queue_message,
    send_message,
    set_default_messenger,
    unsubscribe_messenger,
)

__all__ = [
    "cancel_broadcast",
    "create_broadcast",
    "erase_customer",
    "link_messenger",
    "locked_subscriptions",
    "mark_blocked",
    "queue_message",
    "send_message",
    "set_default_messenger",
    "unsubscribe_messenger",
]
