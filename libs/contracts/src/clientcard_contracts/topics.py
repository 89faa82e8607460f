"""Kafka topics of the platform and how many partitions each gets.

Keys are customer ids, so a topic's partition count bounds how many consumer replicas of
one group can work in parallel. Six partitions let a service scale to six consumers on a
small cluster without making a single-node development broker slow to start.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    partitions: int


CUSTOMERS = "customers.v1"
RECEIPTS = "receipts.v1"
BONUSES = "bonuses.v1"
MESSAGING = "messaging.v1"
POS_RECEIPTS = "pos.receipts.v1"
POS_RECEIPTS_DLQ = "pos.receipts.dlq.v1"


def dead_letter_topic(service: str) -> str:
    """Where a service's consumers put the events they cannot process, with the reason."""
    return f"{service}.dlq.v1"


SERVICES = ("customers", "bonuses", "messaging", "receipts")

TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(CUSTOMERS, 6),
    TopicSpec(RECEIPTS, 6),
    TopicSpec(BONUSES, 6),
    TopicSpec(MESSAGING, 6),
    TopicSpec(POS_RECEIPTS, 6),
    TopicSpec(POS_RECEIPTS_DLQ, 1),
    *(TopicSpec(dead_letter_topic(service), 1) for service in SERVICES),
)
