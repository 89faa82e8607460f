"""Migration 0004 on a database that already holds customers, up, down and up again."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_contracts.enums import Gender
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import ClientFilter
from clientcard_customers.service import SERVICE
from clientcard_kit.db import Database, migrations

pytestmark = pytest.mark.integration

TENANT = "before-0004"
ADDED_COLUMNS = {"revenue_cents", "average_check_cents", "bonus_balance_cents", "audience_cell"}

# A customer as 0003 stored one: no column the migration adds is written.
EXISTING = """
INSERT INTO customers (id, tenant_id, phone, gender, registered_at, source, updated_at,
  purchases, revenue, average_check, bonus_balance, messenger_status, default_channel)
VALUES (:id, :tenant, :phone, :gender, now(), 'MANUAL', now(), 3, :revenue, 33.33, :balance,
  :status, :channel)
"""


# What 0004 sets besides columns and indexes: autovacuum and the search's statistics.
SETTINGS = """
SELECT (SELECT reloptions FROM pg_class WHERE relname = 'customers'),
  (SELECT attstattarget FROM pg_attribute
   WHERE attrelid = 'customer_search'::regclass AND attname = 'search_text')
"""


def schema(url: str) -> tuple[set[str], dict[str, str], tuple[Any, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            columns = {column["name"] for column in inspector.get_columns("customers")}
            rows = connection.execute(
                sa.text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'customers'")
            )
            indexes = {row.indexname: row.indexdef for row in rows}
            settings = tuple(connection.execute(sa.text(SETTINGS)).one())
    finally:
        engine.dispose()
    return columns, indexes, settings


async def count(db: Database, wanted: ClientFilter) -> int:
    async with CustomersUnitOfWork.for_tenant(db, tenant=TENANT, source="tests") as uow:
        return await uow.client_list.count(wanted, date(2026, 11, 23))


async def test_existing_customers_get_cents_and_cells_and_downgrade_restores_0003(
    postgres_server: Any,
) -> None:
    url = postgres_server.create_database(f"customers_0004_{uuid.uuid4().hex[:6]}")
    migrations.upgrade(SERVICE.migrations, url, "0003")
    at_0003 = schema(url)
    db = Database(url)
    async with db.transaction(TENANT) as session:
        for index, (gender, revenue, balance, status, channel) in enumerate(
            [
                ("FEMALE", "1000.00", "150.50", "ACTIVE", "TELEGRAM"),
                ("FEMALE", "999.99", "20.00", "ACTIVE", None),
                ("MALE", "2500.10", "150.50", None, "SMS"),
            ]
        ):
            await session.execute(
                sa.text(EXISTING),
                {
                    "id": uuid.uuid4(),
                    "tenant": TENANT,
                    "phone": f"+7915000000{index}",
                    "gender": gender,
                    "revenue": Decimal(revenue),
                    "balance": Decimal(balance),
                    "status": status,
                    "channel": channel,
                },
            )
    await db.dispose()  # no pooled connection may hold the table while it is rewritten

    migrations.upgrade(SERVICE.migrations, url)
    at_0004 = schema(url)
    # Upgraded to the head, so later migrations' columns are there too.
    assert at_0004[0] - at_0003[0] >= ADDED_COLUMNS
    assert at_0004[2] != at_0003[2]
    db = Database(url)
    assert await count(db, ClientFilter(revenue_min=Decimal("1000"))) == 2
    assert await count(db, ClientFilter(bonus_balance_min=Decimal("150.5"))) == 2
    women_active = ClientFilter(gender=Gender.FEMALE, messenger_status="ACTIVE")
    assert await count(db, women_active) == 2
    assert await count(db, ClientFilter(channel="SMS", revenue_max=Decimal("2500.10"))) == 1
    await db.dispose()

    migrations.downgrade(SERVICE.migrations, url, "0003")
    assert schema(url) == at_0003
    migrations.upgrade(SERVICE.migrations, url)
    assert schema(url) == at_0004
