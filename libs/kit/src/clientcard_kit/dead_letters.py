"""Listing and replaying a dead-letter topic.

A consumer sends a message it cannot process to its service's dead-letter topic with the
reason and its origin in `dlq_*` headers (`clientcard_kit.events.consumer`). Once the
cause is fixed (a handler corrected and deployed, a missing record created), `replay`
sends every message back to the topic it came from, with its own key, value and headers.
Consumers are idempotent by event id, so the other consumer groups of that topic, which
had processed the message already, see a duplicate and do nothing.

Both commands read the dead-letter topic as a consumer group of their own and stop at the
end offsets found when they started: a message dead-lettered again during a replay waits
for the next one. `replay` commits after each batch it republished, so running it again
continues after what it replayed; a crash between the two republishes a batch twice,
which the consumers' inboxes absorb. `list` commits nothing.

    python -m clientcard_kit.dead_letters list --service customers
    python -m clientcard_kit.dead_letters replay --service customers [--consumer NAME]

The bootstrap servers come from `<SERVICE>_KAFKA_BOOTSTRAP_SERVERS`, as for the service
itself, or from `--bootstrap-servers`.
"""

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import ConsumerRecord

from clientcard_contracts.topics import dead_letter_topic
from clientcard_kit.events.cloudevents import Headers
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.settings import ServiceSettings

HEADER_PREFIX = "dlq_"
CLIENT_ID = "clientcard-dead-letters"
POLL_TIMEOUT_MS = 1000


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """One dead-lettered message: where it is, why it is there, and what to send back."""

    partition: int
    offset: int
    key: bytes | None
    value: bytes
    # The message's own headers, without the dead-letter ones.
    headers: Headers
    source_topic: str | None
    reason: str
    consumer: str

    @classmethod
    def from_record(cls, record: "ConsumerRecord[bytes, bytes]") -> "DeadLetter":
        headers = list(record.headers or ())
        notes = {
            name: value.decode(errors="replace")
            for name, value in headers
            if name.startswith(HEADER_PREFIX)
        }
        return cls(
            partition=record.partition,
            offset=record.offset,
            key=record.key,
            value=record.value or b"",
            headers=[(n, v) for n, v in headers if not n.startswith(HEADER_PREFIX)],
            source_topic=notes.get("dlq_source_topic"),
            reason=notes.get("dlq_reason", ""),
            consumer=notes.get("dlq_consumer", ""),
        )


@dataclass
class Outcome:
    """What a pass over the topic found: the letters taken and those left alone."""

    taken: list[DeadLetter] = field(default_factory=list)
    # Another consumer's (with a filter), or without a source topic to go back to.
    left: list[DeadLetter] = field(default_factory=list)


Act = Callable[[list[DeadLetter]], Awaitable[None]]


def replay_group(topic: str, consumer: str | None) -> str:
    """The consumer group that remembers how far a replay got (one per filter)."""
    return f"{topic}.replay" + (f".{consumer}" if consumer else "")


async def list_dead_letters(
    bootstrap_servers: str, topic: str, *, consumer: str | None = None, limit: int | None = None
) -> Outcome:
    """The letters a `replay` with the same arguments would send back; commits nothing."""
    return await _pass_over(bootstrap_servers, topic, consumer, limit, act=None)


async def replay_dead_letters(
    bootstrap_servers: str, topic: str, *, consumer: str | None = None, limit: int | None = None
) -> Outcome:
    """Send each letter back to its source topic; returns the letters sent and left."""
    publisher = KafkaPublisher(bootstrap_servers, client_id=CLIENT_ID)
    await publisher.start()

    async def send_back(letters: list[DeadLetter]) -> None:
        await publisher.send_many(
            [(str(ltr.source_topic), ltr.key, ltr.value, ltr.headers) for ltr in letters]
        )

    try:
        return await _pass_over(bootstrap_servers, topic, consumer, limit, act=send_back)
    finally:
        await publisher.stop()


async def _pass_over(
    bootstrap_servers: str, topic: str, consumer: str | None, limit: int | None, act: Act | None
) -> Outcome:
    kafka = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        group_id=replay_group(topic, consumer),
        client_id=CLIENT_ID,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await kafka.start()
    try:
        partitions = [TopicPartition(topic, n) for n in await _partitions(bootstrap_servers, topic)]
        await _assign(kafka, partitions)
        ends: dict[TopicPartition, int] = await kafka.end_offsets(partitions)
        outcome = Outcome()
        pending = [tp for tp in partitions if await kafka.position(tp) < ends[tp]]
        while pending and (limit is None or len(outcome.taken) < limit):
            batches = await kafka.getmany(*pending, timeout_ms=POLL_TIMEOUT_MS)
            for tp, records in batches.items():
                room = None if limit is None else limit - len(outcome.taken)
                await _handle(kafka, tp, records[:room], ends[tp], consumer, act, outcome)
            pending = [tp for tp in pending if await kafka.position(tp) < ends[tp]]
        return outcome
    finally:
        await kafka.stop()


async def _partitions(bootstrap_servers: str, topic: str) -> list[int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id=CLIENT_ID)
    await admin.start()
    try:
        [described] = await admin.describe_topics([topic])
    finally:
        await admin.close()
    partitions = described.get("partitions") or []
    if described.get("error_code") != 0 or not partitions:
        raise LookupError(f"there is no topic {topic!r}")
    return sorted(int(partition["partition"]) for partition in partitions)


async def _assign(kafka: AIOKafkaConsumer, partitions: list[TopicPartition]) -> None:
    """Read every partition from where this group's last replay stopped."""
    kafka.assign(partitions)
    for partition in partitions:
        committed = await kafka.committed(partition)
        if committed is None:
            await kafka.seek_to_beginning(partition)
        else:
            kafka.seek(partition, committed)


async def _handle(
    kafka: AIOKafkaConsumer,
    partition: TopicPartition,
    records: "list[ConsumerRecord[bytes, bytes]]",
    end: int,
    consumer: str | None,
    act: Act | None,
    outcome: Outcome,
) -> None:
    records = [record for record in records if record.offset < end]
    if not records:
        return
    letters = [DeadLetter.from_record(record) for record in records]
    taken = [ltr for ltr in letters if ltr.source_topic and consumer in (None, ltr.consumer)]
    outcome.taken.extend(taken)
    outcome.left.extend(ltr for ltr in letters if ltr not in taken)
    if act is None:
        # A listing moves on by seeking, never by committing.
        kafka.seek(partition, records[-1].offset + 1)
        return
    if taken:
        await act(taken)
    await kafka.commit({partition: records[-1].offset + 1})
    kafka.seek(partition, records[-1].offset + 1)


def _describe(letter: DeadLetter) -> str:
    return (
        f"{letter.partition}@{letter.offset} from {letter.source_topic or '?'} "
        f"by {letter.consumer or '?'}: {letter.reason}"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m clientcard_kit.dead_letters",
        description="List or replay a service's dead-letter topic.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("list", "show the dead letters a replay would send back"),
        ("replay", "send the dead letters back to the topics they came from"),
    ):
        command = commands.add_parser(name, help=text)
        where = command.add_mutually_exclusive_group(required=True)
        where.add_argument("--service", help="the service whose <service>.dlq.v1 to read")
        where.add_argument("--topic", help="a dead-letter topic by name")
        command.add_argument("--bootstrap-servers", help="default: <SERVICE>_KAFKA_...")
        command.add_argument("--consumer", help="only letters of this consumer (service/name)")
        command.add_argument("--limit", type=int, help="at most this many letters")
    return parser


def _bootstrap_servers(args: argparse.Namespace) -> str:
    if args.bootstrap_servers:
        return str(args.bootstrap_servers)
    default = str(ServiceSettings.model_fields["kafka_bootstrap_servers"].default)
    if args.service:
        return os.environ.get(f"{args.service.upper()}_KAFKA_BOOTSTRAP_SERVERS", default)
    return default


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    topic = args.topic or dead_letter_topic(args.service)
    run = list_dead_letters if args.command == "list" else replay_dead_letters
    outcome = asyncio.run(
        run(_bootstrap_servers(args), topic, consumer=args.consumer, limit=args.limit)
    )
    verb = "to replay" if args.command == "list" else "replayed"
    for letter in outcome.taken:
        print(f"{verb}: {_describe(letter)}")
    for letter in outcome.left:
        print(f"left: {_describe(letter)}")
    print(f"{topic}: {len(outcome.taken)} {verb}, {len(outcome.left)} left")
    return 0


if __name__ == "__main__":
    sys.exit(main())
