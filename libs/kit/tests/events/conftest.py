"""Fixtures of the event tests: a started Kafka publisher."""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from clientcard_kit.events.kafka import KafkaPublisher


@pytest.fixture
async def publisher(kafka_server: Any) -> AsyncIterator[KafkaPublisher]:
    kafka = KafkaPublisher(kafka_server.bootstrap_servers, client_id="kittests")
    await kafka.start()
    yield kafka
    await kafka.stop()
