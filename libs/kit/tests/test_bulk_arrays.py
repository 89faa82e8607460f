"""A batch's columns sent as array literals read back exactly as the rows held them."""

import enum
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from clientcard_kit.db import Database, bulk

pytestmark = pytest.mark.integration

ROWS = sa.Table(
    "rows",
    sa.MetaData(),
    sa.Column("id", UUID(as_uuid=True)),
    sa.Column("text", sa.Text),
    sa.Column("amount", sa.Numeric(12, 2)),
    sa.Column("count", sa.Integer),
    sa.Column("flag", sa.Boolean),
    sa.Column("at", sa.DateTime(timezone=True)),
    sa.Column("day", sa.Date),
    sa.Column("payload", JSONB),
    sa.Column("kind", sa.Text),
)
NAMES = tuple(column.name for column in ROWS.c)


class Kind(enum.StrEnum):
    SALE = "SALE"


class MixedKind(str, enum.Enum):  # noqa: UP042  (what older code writes)
    RETURN = "RETURN"  # str() of it is "MixedKind.RETURN": the value must be written


TRICKY_TEXTS = [
    'кавычки " и \\ обратная косая',
    "{скобки, запятые}",
    "NULL",
    "",
    "  пробелы по краям ",
    "строка\nвторая\tтаб",
    None,
]


async def read_back(db: Database, rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
    query = sa.text(f"SELECT {', '.join(NAMES)} FROM {bulk.unnest(ROWS, NAMES)}")
    async with db.transaction() as session:
        return [tuple(row) for row in await session.execute(query, bulk.arrays(ROWS, NAMES, rows))]


async def test_every_kind_of_value_comes_back_as_it_was_sent(db: Database) -> None:
    moscow = timezone(timedelta(hours=3))
    rows: list[dict[str, object]] = [
        {
            "id": uuid.UUID(int=index),
            "text": text,
            "amount": Decimal("1234.50") if index % 2 else Decimal("-0.01"),
            "count": index - 3,
            "flag": index % 2 == 0,
            "at": datetime(2026, 12, 2, 21, 0, 5, 123456, tzinfo=moscow if index % 2 else UTC),
            "day": date(2028, 2, 29),
            "payload": {"text": text, "list": [1, "два", None]},
            "kind": Kind.SALE if index % 2 else MixedKind.RETURN,
        }
        for index, text in enumerate(TRICKY_TEXTS)
    ]
    rows.append(dict.fromkeys(NAMES))
    found = await read_back(db, rows)
    expected = [
        (
            row["id"],
            row["text"],
            row["amount"],
            row["count"],
            row["flag"],
            row["at"],
            row["day"],
            row["payload"],
            None if row["kind"] is None else str.__str__(row["kind"]),
        )
        for row in rows
    ]
    assert found == expected


def test_a_value_of_a_kind_without_a_text_form_here_leaves_the_list_to_the_driver() -> None:
    assert bulk.array_literal([b"bytes"]) is None
    assert bulk.array_literal([1.5]) is None
    literal = bulk.arrays(ROWS, ("count", "text"), [{"count": 1, "text": 'a"b'}])
    assert literal == {"count": '{"1"}', "text": '{"a\\"b"}'}
