"""The database schema: every table of merchant data is tenant-isolated; migrations reverse."""

from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from clientcard_kit.db import migrations
from clientcard_messaging.db.tables import TENANT_TABLES
from clientcard_messaging.service import SERVICE

pytestmark = pytest.mark.integration


def test_tenant_tables_force_row_level_security_and_migrations_go_both_ways(
    postgres_server: Any,
) -> None:
    url = postgres_server.create_database("messaging_schema_tests")
    migrations.upgrade(SERVICE.migrations, url)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT relname FROM pg_class WHERE relkind = 'r' "
                    "AND relrowsecurity AND relforcerowsecurity AND relname = ANY(:names)"
                ),
                {"names": list(TENANT_TABLES)},
            )
            assert sorted(row[0] for row in rows) == sorted(TENANT_TABLES)
        migrations.downgrade(SERVICE.migrations, url, "0001")
        migrations.upgrade(SERVICE.migrations, url)
        with engine.connect() as connection:
            version = connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
        assert version == _newest_revision(url)
    finally:
        engine.dispose()


def _newest_revision(url: str) -> str | None:
    config = migrations.alembic_config(SERVICE.migrations, url)
    return ScriptDirectory.from_config(config).get_current_head()
