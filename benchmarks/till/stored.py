"""What the services have stored, read from their own databases as the tenant."""

import asyncio

import sqlalchemy as sa

from clientcard_kit.db import Database
from till.calls import TENANT
from till.servers import System


async def applied_at(db: Database, numbers: int) -> dict[str, float]:
    """When bonuses applied each receipt, by receipt id, once all `numbers` are applied."""
    while True:
        async with db.transaction(TENANT) as session:
            rows = (
                await session.execute(
                    sa.text(
                        "SELECT receipt_id, extract(epoch FROM applied_at) FROM receipt_bonuses"
                    )
                )
            ).all()
        if len(rows) >= numbers:
            return {str(row[0]): float(row[1]) for row in rows}
        await asyncio.sleep(0.2)


async def welcomed(db: Database, clients: int) -> None:
    """Until bonuses has given every client the welcome bonus (reservations need it)."""
    while True:
        async with db.transaction(TENANT) as session:
            done = await session.scalar(
                sa.text("SELECT count(*) FROM bonus_accounts WHERE welcomed")
            )
        if done >= clients:
            return
        await asyncio.sleep(0.2)


async def receipt_ids(db: Database) -> dict[str, str]:
    async with db.transaction(TENANT) as session:
        rows = (await session.execute(sa.text("SELECT number, id FROM receipts"))).all()
    return {row[0]: str(row[1]) for row in rows}


async def counts(system: System) -> dict[str, int]:
    """Receipts stored, applied and reserved, and the purchases the customers counted."""
    queries = {
        "bonuses": "SELECT (SELECT count(*) FROM receipt_bonuses) AS applied,"
        " (SELECT count(*) FROM bonus_reservations WHERE status = 'COMMITTED') AS committed,"
        " (SELECT count(*) FROM bonus_reservations) AS reservations",
        "receipts": "SELECT count(*) AS stored, count(DISTINCT number) AS distinct_numbers"
        " FROM receipts",
        "customers": "SELECT coalesce(sum(purchases), 0) AS purchases FROM customers",
    }
    found: dict[str, int] = {}
    for service, query in queries.items():
        async with system.databases[service].transaction(TENANT) as session:
            found |= {
                k: int(v) for k, v in (await session.execute(sa.text(query))).one()._mapping.items()
            }
    return found
