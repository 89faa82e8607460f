"""Errors carry a code; unexpected exceptions are logged and reveal nothing."""

import logging
from collections.abc import Iterator

import pytest
from strawberry.extensions import SchemaExtension

from clientcard_kit.auth import Principal, Role
from clientcard_kit.graphql import RequestContext, build_schema

from .support import Subgraph, bearer, codes, messages
from .toy import SECRET_IN_EXCEPTION, Query


async def test_an_unexpected_exception_is_an_internal_error_without_its_text(
    subgraph: Subgraph, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="clientcard_kit.graphql"):
        body = await subgraph.post("{ broken }", headers=bearer())
    assert codes(body) == ["INTERNAL_SERVER_ERROR"]
    assert messages(body) == ["internal error"]
    assert body["errors"][0]["path"] == ["broken"]
    assert "hunter2" not in str(body)
    [record] = caplog.records
    assert "broken" in record.getMessage()
    assert SECRET_IN_EXCEPTION in record.getMessage()
    assert record.exc_info is not None


async def test_a_domain_error_keeps_its_message_and_code(
    subgraph: Subgraph, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="clientcard_kit.graphql"):
        body = await subgraph.post('{ missing(id: "9") { id } }', headers=bearer())
    assert codes(body) == ["NOT_FOUND"]
    assert messages(body) == ["customer 9 not found"]
    # A client's mistake is answered, not logged as a failure of the service.
    assert caplog.records == []


async def test_a_query_that_does_not_parse(subgraph: Subgraph) -> None:
    body = await subgraph.post("{ customer(id: ", headers=bearer())
    assert codes(body) == ["GRAPHQL_PARSE_FAILED"]


async def test_a_query_that_does_not_validate(subgraph: Subgraph) -> None:
    body = await subgraph.post("{ nosuchfield }", headers=bearer())
    assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_a_variable_of_the_wrong_type(subgraph: Subgraph) -> None:
    body = await subgraph.post(
        "query($first: Int) { customers(first: $first) { totalCount } }",
        {"first": "many"},
        headers=bearer(),
    )
    assert codes(body) == ["BAD_USER_INPUT"]


def nested(depth: int) -> str:
    selection = "id"
    for _ in range(depth - 1):
        selection = f"same {{ {selection} }}"
    return f'{{ customer(id: "1") {{ {selection} }} }}'


async def test_a_query_too_deep(subgraph: Subgraph) -> None:
    assert "errors" not in await subgraph.post(nested(12), headers=bearer())
    body = await subgraph.post(nested(13), headers=bearer())
    assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "exceeds maximum operation depth of 12" in messages(body)[0]


class FailingExtension(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        raise RuntimeError(f"extension failed: {SECRET_IN_EXCEPTION}")
        yield  # pragma: no cover


async def test_an_exception_escaping_an_extension_is_masked_too(
    caplog: pytest.LogCaptureFixture,
) -> None:
    schema = build_schema(query=Query, extensions=[FailingExtension])
    principal = Principal(subject="u", tenant="salon-a", role=Role.VIEWER)
    with caplog.at_level(logging.ERROR, logger="clientcard_kit.graphql"):
        result = await schema.execute(
            "{ __typename }", context_value=RequestContext(principal=principal, services=None)
        )
    assert result.errors is not None
    [error] = result.errors
    assert error.message == "internal error"
    assert error.extensions == {"code": "INTERNAL_SERVER_ERROR"}
    assert SECRET_IN_EXCEPTION in caplog.text
