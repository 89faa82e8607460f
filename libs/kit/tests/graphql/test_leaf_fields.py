"""Plain scalar fields take a short path and answer exactly what graphql-core answers."""

import enum
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import strawberry
from graphql import ExecutionResult
from strawberry.extensions import SchemaExtension

from clientcard_kit.graphql import leaf_fields
from clientcard_kit.graphql.leaf_fields import LeafFieldsExecution, leaf_field
from clientcard_kit.graphql.scalars import SCALAR_OVERRIDES


@strawberry.enum
class Status(enum.Enum):
    SENT = "sent"
    FAILED = "failed"


@strawberry.type
class Line:
    text: str
    amount: Decimal
    at: datetime
    status: Status
    note: str | None

    @strawberry.field
    def shout(self) -> str:
        return self.text.upper()

    @strawberry.field
    def padded(self, width: int) -> str:
        return self.text.rjust(width)


AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
LINES = [
    Line(text="tea", amount=Decimal("120.5"), at=AT, status=Status.SENT, note=None),
    Line(text="cake", amount=Decimal("80"), at=AT, status=Status.FAILED, note="fresh"),
]


@strawberry.type
class Query:
    @strawberry.field
    async def lines(self) -> list[Line]:
        return LINES

    @strawberry.field
    def broken(self) -> list[Line | None]:
        # A null where the type says non-null, and an amount the Decimal scalar refuses.
        return [
            Line(text=None, amount=Decimal(1), at=AT, status=Status.SENT, note=None),  # type: ignore[arg-type]
            Line(text="x", amount="lots", at=AT, status=Status.SENT, note=None),  # type: ignore[arg-type]
        ]


def schema(**options: Any) -> strawberry.Schema:
    return strawberry.Schema(query=Query, scalar_overrides=dict(SCALAR_OVERRIDES), **options)


STANDARD = schema()
SHORT = schema(execution_context_class=LeafFieldsExecution)
EVERY_FIELD = "{ lines { text amount at status note shout padded(width: 6) __typename } }"


async def both(query: str, fast: strawberry.Schema = SHORT) -> tuple[Any, Any]:
    standard, short = await STANDARD.execute(query), await fast.execute(query)
    return _answer(standard), _answer(short)


def _answer(result: ExecutionResult) -> tuple[Any, list[tuple[str, Any]]]:
    errors = [(error.message, error.path) for error in result.errors or []]
    return result.data, errors


async def test_the_answer_is_the_same_as_graphql_cores() -> None:
    standard, short = await both(EVERY_FIELD)
    assert short == standard
    first = short[0]["lines"][0]
    assert first == {
        "text": "tea",
        "amount": "120.50",
        "at": "2026-03-01T09:30:00+00:00",
        "status": "SENT",
        "note": None,
        "shout": "TEA",
        "padded": "   tea",
        "__typename": "Line",
    }


async def test_a_null_or_refused_value_gets_graphql_cores_error() -> None:
    standard, short = await both("{ broken { text amount } }")
    assert short == standard
    assert short[0] == {"broken": [None, None]}
    assert [path for _, path in short[1]] == [["broken", 0, "text"], ["broken", 1, "amount"]]


def test_only_attribute_reading_scalar_fields_take_the_short_path() -> None:
    fields = SHORT._schema.type_map["Line"].fields  # type: ignore[attr-defined]
    planned = {name for name, field in fields.items() if leaf_field(field) is not None}
    assert planned == {"text", "amount", "at", "status", "note"}
    lines = SHORT._schema.type_map["Query"].fields["lines"]  # type: ignore[attr-defined]
    assert leaf_field(lines) is None  # a list of objects, with a resolver


async def test_the_short_path_answers_the_plain_fields(monkeypatch: Any) -> None:
    seen: list[str] = []
    completed = leaf_fields._completed

    def counting(plan: leaf_fields.LeafField, source: Any) -> Any:
        seen.append(plan.attribute)
        return completed(plan, source)

    monkeypatch.setattr(leaf_fields, "_completed", counting)
    await SHORT.execute("{ lines { text amount shout } }")
    assert sorted(seen) == ["amount", "amount", "text", "text"]


class Upper(SchemaExtension):
    """Wraps every resolver: with it, each field must still go through it."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        value = _next(root, info, *args, **kwargs)
        return value.upper() if isinstance(value, str) else value


async def test_an_extension_wrapping_resolvers_still_sees_every_field() -> None:
    wrapped = schema(execution_context_class=LeafFieldsExecution, extensions=[Upper])
    result = await wrapped.execute("{ lines { text note } }")
    assert result.data == {
        "lines": [{"text": "TEA", "note": None}, {"text": "CAKE", "note": "FRESH"}]
    }
