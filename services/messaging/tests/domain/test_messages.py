import uuid
from datetime import UTC, datetime, timedelta

import pytest

from clientcard_messaging.domain import messages
from clientcard_messaging.domain.errors import InvalidInput

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_retries_double_up_to_a_ceiling_unless_the_provider_says() -> None:
    delays = [messages.retry_delay(n, base=2, ceiling=30).total_seconds() for n in range(1, 6)]
    assert delays == [2, 4, 8, 16, 30]
    assert messages.retry_delay(1, base=2, ceiling=30, asked=7) == timedelta(seconds=7)
    assert messages.retry_delay(1, base=2, ceiling=30, asked=3600) == timedelta(seconds=30)


def test_a_broadcast_names_each_segment_once_and_a_near_past_time_means_now() -> None:
    segment = uuid.uuid4()
    new = messages.new_broadcast(
        name=" Акция ",
        message=" Скидки ",
        segment_ids=[segment, segment],
        channel=None,
        scheduled_at=NOW - timedelta(minutes=1),
        now=NOW,
    )
    assert (new.name, new.text, new.segment_ids, new.scheduled_at) == (
        "Акция",
        "Скидки",
        (segment,),
        None,
    )


@pytest.mark.parametrize(
    ("name", "text", "segments", "at"),
    [
        ("", "t", [uuid.uuid4()], None),
        ("n", " ", [uuid.uuid4()], None),
        ("n", "t", [], None),
        ("n", "t", [uuid.uuid4()], NOW - timedelta(hours=1)),
        ("n", "x" * 4097, [uuid.uuid4()], None),
    ],
)
def test_bad_broadcasts_are_refused(
    name: str, text: str, segments: list[uuid.UUID], at: datetime | None
) -> None:
    with pytest.raises(InvalidInput):
        messages.new_broadcast(
            name=name, message=text, segment_ids=segments, channel=None, scheduled_at=at, now=NOW
        )
