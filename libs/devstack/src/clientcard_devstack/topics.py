"""Talking to a Kafka broker as an administrator: is it up, and topics made idempotently."""

import asyncio
from collections.abc import Iterable, Sequence
from typing import Protocol

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError


class TopicLike(Protocol):
    """What `clientcard_contracts.topics.TopicSpec` offers."""

    @property
    def name(self) -> str: ...

    @property
    def partitions(self) -> int: ...


# A topic name (with the default partition count), a (name, partitions) pair, or a spec.
TopicRequest = str | tuple[str, int] | TopicLike


def normalise(topics: Iterable[TopicRequest], partitions: int = 1) -> dict[str, int]:
    wanted: dict[str, int] = {}
    for topic in topics:
        if isinstance(topic, str):
            wanted[topic] = partitions
        elif isinstance(topic, tuple):
            wanted[topic[0]] = topic[1]
        else:
            wanted[topic.name] = topic.partitions
    return wanted


def _admin(bootstrap_servers: str) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(
        bootstrap_servers=bootstrap_servers,
        client_id="clientcard-devstack",
        request_timeout_ms=10_000,
    )


async def broker_answers(bootstrap_servers: str) -> str | None:
    """None when a metadata request lists a broker, else what went wrong."""
    admin = _admin(bootstrap_servers)
    try:
        await admin.start()
        cluster = await admin.describe_cluster()
    except (KafkaError, OSError) as exc:
        return f"metadata request failed: {exc!r}"
    finally:
        await admin.close()
    return None if cluster.get("brokers") else "the cluster lists no broker yet"


async def create_topics(
    bootstrap_servers: str,
    topics: Iterable[TopicRequest],
    *,
    partitions: int = 1,
    leader_wait: float = 30.0,
) -> list[str]:
    """Create the topics that are missing; returns the names it created.

    Returns once every partition of every requested topic has a leader, so that a
    producer or consumer started right after does not race the controller.
    """
    wanted = normalise(topics, partitions)
    admin = _admin(bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(name, count, 1) for name, count in wanted.items() if name not in existing
        ]
        if missing:
            response = await admin.create_topics(missing)
            _raise_errors(response.topic_errors)
        async with asyncio.timeout(leader_wait):
            await _wait_for_leaders(admin, list(wanted))
    finally:
        await admin.close()
    return [topic.name for topic in missing]


def _raise_errors(topic_errors: Sequence[tuple[object, ...]]) -> None:
    for name, code, *rest in topic_errors:
        # Another process may have made it between our listing and our request.
        if code not in (0, TopicAlreadyExistsError.errno):
            message = rest[0] if rest else ""
            raise RuntimeError(f"creating topic {name!r} failed: error {code} {message}")


async def _wait_for_leaders(admin: AIOKafkaAdminClient, names: list[str]) -> None:
    while names:
        described = await admin.describe_topics(names)
        if all(_has_leaders(topic) for topic in described):
            return
        await asyncio.sleep(0.1)


def _has_leaders(topic: dict[str, object]) -> bool:
    partitions = topic.get("partitions")
    if topic.get("error_code") != 0 or not isinstance(partitions, list) or not partitions:
        return False
    return all(isinstance(p, dict) and p.get("leader", -1) >= 0 for p in partitions)
