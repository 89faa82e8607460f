"""How long the outbox relay pauses between polls: short while events flow, longer idle."""

from clientcard_kit.db import Database
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.events.outbox import OutboxRelay


def relay(poll: float = 0.05, idle: float = 0.5) -> OutboxRelay:
    # Neither is connected: only the pause arithmetic runs here.
    return OutboxRelay(
        Database("postgresql+psycopg://nobody@127.0.0.1:1/none"),
        KafkaPublisher("127.0.0.1:1", client_id="pauses"),
        service="pauses",
        poll_interval=poll,
        idle_poll_interval=idle,
    )


def test_empty_polls_double_the_pause_up_to_the_idle_pause() -> None:
    outbox = relay()
    pauses = [0.05]
    for _ in range(6):
        pauses.append(outbox.next_pause(pauses[-1], published=0))
    assert pauses == [0.05, 0.1, 0.2, 0.4, 0.5, 0.5, 0.5]


def test_a_poll_that_found_events_brings_the_short_pause_back() -> None:
    assert relay().next_pause(0.5, published=3) == 0.05


def test_an_idle_pause_shorter_than_the_poll_interval_is_the_poll_interval() -> None:
    outbox = relay(poll=0.2, idle=0.1)
    assert outbox.next_pause(0.2, published=0) == 0.2
