"""What a GraphQL request's reads cost a service before any query: the unit of work the
request's DataLoaders share, opened, used for one trivial statement and given back.

- `transaction`: `UnitOfWork.for_tenant`, as the loaders read until 2026-12-03: a pooled
  connection with its liveness ping, BEGIN, the tenant's setting, the statement, ROLLBACK.
- `reads`: `UnitOfWork.reading` (`Database.reads`): a connection of the reads pool in
  autocommit, which keeps its last reader's tenant: the statement alone.
- `reads, another tenant each time`: the same, the tenant set again on every use (the
  worst case: a process serving many merchants at once).

The figure is this process's CPU time per unit of work (so other work on the machine moves
it little), on a PostgreSQL of its own started as the tests start theirs.

    CLIENTCARD_TEST_SLOT=7 .venv/bin/python benchmarks/request_reads.py [--rounds 3] [--reads 3000]
"""

import argparse
import asyncio
import itertools
import resource
from collections.abc import Awaitable, Callable

import sqlalchemy as sa

from clientcard_devstack.testservers import postgres_server
from clientcard_kit.db import Database
from clientcard_kit.unit_of_work import UnitOfWork

STATEMENT = sa.text("SELECT current_setting('app.tenant_id', true)")
SOURCE = "/clientcard/benchmarks"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def per_read(read: Callable[[], Awaitable[None]], reads: int) -> float:
    """Microseconds of this process's CPU per call, after a warm-up."""
    for _ in range(reads // 10):
        await read()
    started = cpu_seconds()
    for _ in range(reads):
        await read()
    return (cpu_seconds() - started) * 1e6 / reads


def cases(db: Database) -> dict[str, Callable[[], Awaitable[None]]]:
    tenants = itertools.cycle(["salon-a", "salon-b"])

    async def in_transaction() -> None:
        async with UnitOfWork.for_tenant(db, tenant="salon-a", source=SOURCE) as uow:
            assert await uow.session.scalar(STATEMENT) == "salon-a"

    async def reading() -> None:
        async with UnitOfWork.reading(db, tenant="salon-a", source=SOURCE) as uow:
            assert await uow.session.scalar(STATEMENT) == "salon-a"

    async def reading_another_tenant() -> None:
        tenant = next(tenants)
        async with UnitOfWork.reading(db, tenant=tenant, source=SOURCE) as uow:
            assert await uow.session.scalar(STATEMENT) == tenant

    return {
        "transaction": in_transaction,
        "reads": reading,
        "reads, another tenant each time": reading_another_tenant,
    }


async def measure(url: str, rounds: int, reads: int) -> dict[str, list[float]]:
    db = Database(url)
    try:
        found: dict[str, list[float]] = {}
        for _ in range(rounds):  # in turn, so that a slower moment touches every case
            for name, read in cases(db).items():
                found.setdefault(name, []).append(await per_read(read, reads))
        return found
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reads", type=int, default=3000)
    args = parser.parse_args()
    with postgres_server() as server:
        # The services' own role (not a superuser), on a database of its own.
        url = server.create_database("request_reads_benchmark")
        found = asyncio.run(measure(url, args.rounds, args.reads))
    print("| unit of work (open, one statement, give back) | µs of CPU, each round |")
    print("|---|---|")
    for name, figures in found.items():
        print(f"| {name} | {', '.join(f'{value:,.0f}' for value in figures)} |")


if __name__ == "__main__":
    main()
