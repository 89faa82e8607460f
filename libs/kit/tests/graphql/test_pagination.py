"""Cursors, page sizes and connections built from a page of rows."""

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from clientcard_kit.graphql import (
    BadUserInput,
    PageRequest,
    decode_cursor,
    encode_cursor,
    page_request,
)

from .support import Subgraph, bearer, codes, messages

PAGE = """
query($first: Int, $after: String) {
  customers(first: $first, after: $after) {
    edges { cursor node { id } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

POSITION = (
    datetime(2025, 1, 31, 9, 30, 0, 123456, tzinfo=UTC),
    UUID("6a1f9a52-3c55-4c2a-9d37-2f5e7c1d0b11"),
    Decimal("1250.50"),
    "Ivanova",
    42,
    None,
    date(1990, 2, 28),
    True,
)


def test_a_cursor_round_trips_with_its_types() -> None:
    cursor = encode_cursor(*POSITION)
    decoded = decode_cursor(cursor)
    assert decoded == POSITION
    assert [type(value) for value in decoded] == [type(value) for value in POSITION]
    assert decode_cursor(cursor, (datetime, UUID, Decimal, str, int, int, date, bool)) == POSITION


def test_a_cursor_is_opaque_url_safe_text() -> None:
    cursor = encode_cursor("Ivanova", 42)
    assert "Ivanova" not in cursor
    assert cursor.replace("-", "").replace("_", "").isalnum()


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not base64 at all!",
        "bm90IGpzb24",  # base64 of "not json"
        encode_cursor("a")[:-2],
        "eyJhIjoxfQ",  # base64 of a JSON object
        "WyJ4OnkiXQ",  # base64 of ["x:y"], an unknown tag
        "WyJpOnR3byJd",  # base64 of ["i:two"]
        "A" * 2000,
    ],
)
def test_a_foreign_cursor_is_invalid(cursor: str) -> None:
    with pytest.raises(BadUserInput, match=r"^invalid cursor$"):
        decode_cursor(cursor)


def test_a_cursor_of_another_shape_is_invalid() -> None:
    with pytest.raises(BadUserInput, match="invalid cursor"):
        decode_cursor(encode_cursor("a", 1), (str, str))
    with pytest.raises(BadUserInput, match="invalid cursor"):
        decode_cursor(encode_cursor("a"), (str, int))
    with pytest.raises(BadUserInput, match="invalid cursor"):
        decode_cursor(encode_cursor(True), (int,))


def test_page_request_checks_first() -> None:
    assert page_request(None, None, default=20) == PageRequest(first=20)
    assert page_request(0, None, default=20).limit == 1
    assert page_request(200, None, default=20).limit == 201
    for first in (201, -1):
        with pytest.raises(BadUserInput, match="first must be between 0 and 200"):
            page_request(first, None, default=20)


async def test_pages_follow_each_other(subgraph: Subgraph) -> None:
    first = (await subgraph.post(PAGE, {"first": 2}, headers=bearer()))["data"]["customers"]
    assert [edge["node"]["id"] for edge in first["edges"]] == ["1", "2"]
    assert first["pageInfo"] == {"hasNextPage": True, "endCursor": first["edges"][-1]["cursor"]}
    after = first["pageInfo"]["endCursor"]
    second = await subgraph.post(PAGE, {"first": 3, "after": after}, headers=bearer())
    page = second["data"]["customers"]
    assert [edge["node"]["id"] for edge in page["edges"]] == ["3", "4", "5"]
    assert page["pageInfo"]["hasNextPage"] is False


async def test_the_field_default_applies_to_first(subgraph: Subgraph) -> None:
    for variables in ({}, {"first": None}):
        page = (await subgraph.post(PAGE, variables, headers=bearer()))["data"]["customers"]
        assert len(page["edges"]) == 2


async def test_an_empty_page(subgraph: Subgraph) -> None:
    page = (await subgraph.post(PAGE, {"first": 0}, headers=bearer()))["data"]["customers"]
    assert page == {"edges": [], "pageInfo": {"hasNextPage": True, "endCursor": None}}


@pytest.mark.parametrize(
    ("variables", "reason"),
    [
        ({"first": 201}, "first must be between 0 and 200, got 201"),
        ({"first": -1}, "first must be between 0 and 200, got -1"),
        ({"after": "garbage"}, "invalid cursor"),
        ({"after": encode_cursor(1)}, "invalid cursor"),
    ],
)
async def test_bad_arguments_are_bad_user_input(
    subgraph: Subgraph, variables: dict[str, object], reason: str
) -> None:
    body = await subgraph.post(PAGE, variables, headers=bearer())
    assert codes(body) == ["BAD_USER_INPUT"]
    assert messages(body) == [reason]


async def test_the_total_is_counted_only_when_asked(subgraph: Subgraph) -> None:
    await subgraph.post("{ customers { edges { cursor } } }", headers=bearer())
    assert subgraph.requests[-1].counts == 0
    body = await subgraph.post("{ customers { totalCount } }", headers=bearer())
    assert body == {"data": {"customers": {"totalCount": 5}}}
    assert subgraph.requests[-1].counts == 1
