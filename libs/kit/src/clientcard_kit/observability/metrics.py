"""Prometheus metrics shared by every service; each carries the service's name as a label."""

from typing import Protocol

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter(
    "clientcard_http_requests_total",
    "HTTP requests served, by route and status code.",
    ["service", "method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "clientcard_http_request_duration_seconds",
    "Time to serve an HTTP request.",
    ["service", "method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
OUTBOX_PUBLISHED = Counter(
    "clientcard_outbox_published_total",
    "Events relayed from the outbox to Kafka.",
    ["service"],
)
OUTBOX_FAILURES = Counter(
    "clientcard_outbox_relay_failures_total",
    "Relay attempts that failed and will be retried.",
    ["service"],
)
OUTBOX_PENDING = Gauge(
    "clientcard_outbox_pending",
    "Events written but not yet published, as last measured.",
    ["service"],
)
OUTBOX_OLDEST_PENDING = Gauge(
    "clientcard_outbox_oldest_pending_seconds",
    "Age of the oldest event not yet published (0 when none waits), as last measured.",
    ["service"],
)
EVENTS_CONSUMED = Counter(
    "clientcard_events_consumed_total",
    "Messages a consumer finished with, by outcome (processed, duplicate, skipped, dead_lettered).",
    ["service", "consumer", "outcome"],
)
CONSUMER_RETRIES = Counter(
    "clientcard_consumer_retries_total",
    "Batches a consumer rolled back and will retry after a pause.",
    ["service", "consumer"],
)
CONSUMER_LAG = Gauge(
    "clientcard_consumer_lag",
    "Messages of a partition not yet processed by the consumer, after its last batch.",
    ["service", "consumer", "topic", "partition"],
)
CONSUMER_BATCH_SECONDS = Histogram(
    "clientcard_consumer_batch_duration_seconds",
    "Time to process and commit one batch of messages of one partition.",
    ["service", "consumer"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
JOB_WORK_DONE = Counter(
    "clientcard_job_items_total",
    "Items a periodic job handled (lots burned, messages sent, mailings started).",
    ["service", "job"],
)
JOB_FAILURES = Counter(
    "clientcard_job_failures_total",
    "Ticks of a periodic job that failed and will be tried again.",
    ["service", "job"],
)


class Partition(Protocol):
    topic: str
    partition: int


def measure_lag(
    service: str, consumer: str, partition: Partition, end: int | None, next_offset: int
) -> None:
    """What is left of a partition past the offset a consumer reads next, given its end
    offset (None: not known yet)."""
    if end is not None:
        labels = (service, consumer, partition.topic, str(partition.partition))
        CONSUMER_LAG.labels(*labels).set(max(end - next_offset, 0))
