"""Fixtures of the kit's tests: a migrated database and Kafka topics of their own."""

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_kit.db import Database
from clientcard_kit.db import migrations as kit_migrations

MIGRATIONS = Path(__file__).parent / "migrations"


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
