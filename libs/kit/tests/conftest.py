"""Fixtures of the kit's tests: a migrated database, Kafka topics of their own, spans."""

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from clientcard_kit.db import Database
from clientcard_kit.db import migrations as kit_migrations
from clientcard_kit.observability import tracing

MIGRATIONS = Path(__file__).parent / "migrations"
# OpenTelemetry takes one tracer provider a process: every test recording spans shares it.
_EXPORTED = InMemorySpanExporter()
_PROVIDER = TracerProvider()
_PROVIDER.add_span_processor(SimpleSpanProcessor(_EXPORTED))


@pytest.fixture(scope="session")
def kit_database_url(postgres_server: Any) -> str:
    url: str = postgres_server.create_database("kit_tests")
    kit_migrations.upgrade(MIGRATIONS, url)
    return url


@pytest.fixture
async def db(kit_database_url: str) -> AsyncIterator[Database]:
    database = Database(kit_database_url, pool_size=4, max_overflow=4)
    async with database.engine.begin() as connection:
        # Each test starts from empty tables; TRUNCATE is not subject to row-level security.
        await connection.execute(sa.text("TRUNCATE outbox, inbox, visits"))
    yield database
    await database.dispose()


@pytest.fixture
async def topics(kafka_server: Any) -> dict[str, str]:
    """Fresh topics for one test, so tests never read each other's messages."""
    suffix = uuid.uuid4().hex[:8]
    names = {"events": f"kittests.{suffix}", "dead_letters": f"kittests.{suffix}.dlq"}
    await kafka_server.create_topics(list(names.values()), partitions=1)
    return names


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """Tracing on for one test, its finished spans in the exporter."""
    if trace.get_tracer_provider() is not _PROVIDER:
        tracing.use_provider(_PROVIDER)
    tracing.resume()
    _EXPORTED.clear()
    yield _EXPORTED
    tracing.stop()
