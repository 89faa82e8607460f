"""Every service's migrations go up, down and up again on a real PostgreSQL."""

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_kit.db import migrations

pytestmark = pytest.mark.integration

SERVICES = Path(__file__).parent.parent / "services"
NAMES = sorted(path.name for path in SERVICES.iterdir() if (path / "pyproject.toml").is_file())


def tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


@pytest.mark.parametrize("service", NAMES)
def test_migrations_go_up_and_down_cleanly(postgres_server: Any, service: str) -> None:
    url = postgres_server.create_database(f"migrations_{service}")
    directory = SERVICES / service / "src" / f"clientcard_{service}" / "db" / "migrations"
    migrations.upgrade(directory, url)
    created = tables(url)
    assert {"outbox", "inbox"} <= created
    migrations.downgrade(directory, url, "base")
    assert tables(url) == set()
    migrations.upgrade(directory, url)
    assert tables(url) == created
