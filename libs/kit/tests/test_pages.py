"""Each owner's page of rows, newest first, from one statement built once per shape."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from clientcard_kit.db import Database
from clientcard_kit.db.pages import newest_first_pages, page_parameters

probe = sa.Table(
    "pages_probe",
    sa.MetaData(),
    sa.Column("owner", sa.Text),
    sa.Column("at", sa.DateTime(timezone=True)),
    sa.Column("id", sa.Integer),
    sa.Column("kind", sa.Text),
    prefixes=["TEMPORARY"],
)
COLUMNS = (probe.c.owner, probe.c.id, probe.c.kind)
START = datetime(2026, 11, 1, 10, tzinfo=UTC)
Conditions = tuple[sa.ColumnElement[bool], ...]


def statement(*, after: bool, where: Conditions = ()) -> sa.Select[tuple[str, int, str]]:
    return newest_first_pages(
        COLUMNS, probe.c.owner, probe.c.at, probe.c.id, after=after, where=where
    )


def kind(number: int) -> str:
    return "sale" if number % 2 else "return"


async def pages(
    db: Database,
    owners: list[str],
    limit: int,
    after: tuple[datetime, int] | None = None,
    where: Conditions = (),
) -> list[tuple[str, int]]:
    async with db.engine.begin() as connection:
        await connection.run_sync(probe.create)
        # Anna: ids 1..5 an hour apart; Boris: 6 and 7 at the same moment (id breaks the tie).
        await connection.execute(
            probe.insert(),
            [
                {
                    "owner": "anna",
                    "at": START + timedelta(hours=n),
                    "id": n,
                    "kind": "sale" if n % 2 else "return",
                }
                for n in range(1, 6)
            ]
            + [{"owner": "boris", "at": START, "id": n, "kind": "sale"} for n in (6, 7)]
            + [{"owner": "vera", "at": START, "id": 8, "kind": "sale"}],
        )
        query = statement(after=after is not None, where=where)
        rows = await connection.execute(query, page_parameters(owners, limit, after))
        found = [(row.owner, row.id) for row in rows]
        await connection.run_sync(probe.drop)
    return found


@pytest.mark.integration
async def test_each_owner_gets_its_newest_rows_and_no_one_else_appears(db: Database) -> None:
    assert await pages(db, ["anna", "boris"], 2) == [
        ("anna", 5),
        ("anna", 4),
        ("boris", 7),
        ("boris", 6),
    ]


@pytest.mark.integration
async def test_a_page_after_a_position_continues_where_the_last_ended(db: Database) -> None:
    after_four = (START + timedelta(hours=4), 4)
    assert await pages(db, ["anna"], 2, after_four) == [("anna", 3), ("anna", 2)]
    assert await pages(db, ["boris"], 5, (START, 7)) == [("boris", 6)]


@pytest.mark.integration
async def test_extra_conditions_narrow_each_page(db: Database) -> None:
    returns = (probe.c.kind == "return",)
    assert await pages(db, ["anna", "boris"], 5, where=returns) == [("anna", 4), ("anna", 2)]


def test_the_statement_of_a_shape_is_built_once() -> None:
    assert statement(after=False) is statement(after=False)
    assert statement(after=True) is statement(after=True)
    assert statement(after=True) is not statement(after=False)
    narrowed = (probe.c.kind == "sale",)
    assert statement(after=False, where=narrowed) is not statement(after=False, where=narrowed)


def test_parameters_carry_the_position_only_when_there_is_one() -> None:
    assert page_parameters(iter(["anna"]), 20, None) == {"page_owners": ["anna"], "page_limit": 20}
    moment = START
    assert page_parameters(["anna"], 20, (moment, 4)) == {
        "page_owners": ["anna"],
        "page_limit": 20,
        "page_after_moment": moment,
        "page_after_id": 4,
    }
