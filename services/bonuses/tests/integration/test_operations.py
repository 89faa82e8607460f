"""What an operator relies on: health, closed doors, migrations both ways, isolation."""

import uuid
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from clientcard_bonuses.service import SERVICE
from clientcard_kit.db import Database, migrations

pytestmark = pytest.mark.integration


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "alive"}
    ready = await client.get("/readyz")
    assert ready.json()["checks"] == {"database": "ok", "kafka": "ok"}


async def test_an_anonymous_operation_is_refused_and_the_sdl_served_to_staff_only(
    client: httpx.AsyncClient, as_tenant: Any
) -> None:
    answer = await client.post("/graphql", json={"query": "{ loyaltyProgram { expiryDays } }"})
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # Outside development (these tests run as `test`) the schema is not public either.
    anonymous = (await client.post("/graphql", json={"query": "{ _service { sdl } }"})).json()
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    sdl = await as_tenant("salon", "VIEWER")("{ _service { sdl } }")
    assert 'type Receipt @key(fields: "id")' in sdl["data"]["_service"]["sdl"]


def test_the_migrations_go_down_and_up_again(postgres_server: Any) -> None:
    url = postgres_server.create_database("bonuses_migrations")
    migrations.upgrade(SERVICE.migrations, url)
    migrations.downgrade(SERVICE.migrations, url, "0001")
    migrations.upgrade(SERVICE.migrations, url)


async def test_merchant_rows_stay_in_their_tenant_and_the_ledger_is_append_only(
    db: Database,
) -> None:
    name = f"isolated-{uuid.uuid4().hex[:8]}"
    async with db.transaction(name) as session:
        await session.execute(
            sa.text(
                "INSERT INTO bonus_accounts (tenant_id, customer_id, balance, accrued, "
                "version, created_at, updated_at) VALUES (:t, gen_random_uuid(), "
                "5, 5, 1, now(), now())"
            ),
            {"t": name},
        )
        await session.execute(
            sa.text(
                "INSERT INTO bonus_operations (id, tenant_id, customer_id, number, occurred_at,"
                " type, event, amount, balance_after) SELECT gen_random_uuid(), tenant_id, "
                "customer_id, 1, now(), 'ACCRUAL', 'MANUAL', 5, 5 FROM bonus_accounts"
            )
        )
    for scope in (None, "another-tenant"):
        async with db.transaction(scope) as session:
            for table in ("bonus_accounts", "bonus_operations"):
                assert await session.scalar(sa.text(f"SELECT count(*) FROM {table}")) == 0
    async with db.transaction(name) as session:
        assert await session.scalar(sa.text("SELECT count(*) FROM bonus_operations")) == 1
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            async with session.begin_nested():
                await session.execute(sa.text("UPDATE bonus_operations SET amount = 6"))
        with pytest.raises(sa.exc.IntegrityError):
            async with session.begin_nested():
                await session.execute(sa.text("UPDATE bonus_accounts SET balance = -1"))
