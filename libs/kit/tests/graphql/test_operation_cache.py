"""Operations parsed and validated once, with the same answers and errors as the first time."""

import pytest
from graphql import DocumentNode, GraphQLError
from graphql.validation import ASTValidationRule

from clientcard_kit.graphql.operation_cache import OperationCache, Rules

from .support import Subgraph, bearer, codes, messages
from .test_errors import nested

CUSTOMERS = "{ customers(first: 1) { totalCount edges { node { id name } } } }"


class CountingValidator:
    """Validates like a rule that refuses documents naming `bad`, counting its runs."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self, document: DocumentNode, rules: Rules) -> list[GraphQLError]:
        self.runs += 1
        source = document.loc.source.body if document.loc else ""
        return [GraphQLError("bad field")] if "bad" in source else []


class AnotherRule(ASTValidationRule):
    """A rule set of its own: the cache tells rule sets apart by their classes."""


def test_an_operation_is_parsed_once_and_validated_once_per_rule_set() -> None:
    cache = OperationCache(maxsize=4)
    validate = CountingValidator()
    first = cache.document(CUSTOMERS)
    assert cache.document(CUSTOMERS) is first
    assert cache.errors(CUSTOMERS, validate, ()) == []
    assert cache.errors(CUSTOMERS, validate, ()) == []
    assert validate.runs == 1
    cache.errors(CUSTOMERS, validate, (AnotherRule,))
    assert validate.runs == 2


def test_each_request_gets_its_own_list_of_the_remembered_errors() -> None:
    cache = OperationCache(maxsize=4)
    validate = CountingValidator()
    query = "{ bad }"
    cache.document(query)
    errors = cache.errors(query, validate, ())
    errors.append(GraphQLError("added by a later stage of one request"))
    assert [error.message for error in cache.errors(query, validate, ())] == ["bad field"]
    assert validate.runs == 1


def test_the_least_recently_used_operation_leaves_first() -> None:
    cache = OperationCache(maxsize=2)
    a, b, c = "{ a }", "{ b }", "{ c }"
    kept_a = cache.document(a)
    cache.document(b)
    cache.document(a)  # a is now the most recent
    cache.document(c)  # so b leaves
    assert len(cache) == 2
    assert cache.document(a) is kept_a
    validate = CountingValidator()
    cache.errors(b, validate, ())  # b is parsed again rather than failing
    assert validate.runs == 1


def test_a_syntax_error_is_raised_and_not_kept() -> None:
    cache = OperationCache(maxsize=2)
    with pytest.raises(GraphQLError):
        cache.document("{ customers(")
    assert len(cache) == 0


def test_a_cache_holds_at_least_one_operation() -> None:
    with pytest.raises(ValueError, match="at least one"):
        OperationCache(maxsize=0)


async def test_the_same_query_answers_the_same_every_time(subgraph: Subgraph) -> None:
    answers = [await subgraph.post(CUSTOMERS, headers=bearer()) for _ in range(3)]
    assert answers[0]["data"]["customers"]["totalCount"] > 0
    assert answers[1] == answers[0] == answers[2]


async def test_a_refused_query_is_refused_again_with_the_same_error(subgraph: Subgraph) -> None:
    too_deep = nested(14)
    first = await subgraph.post(too_deep, headers=bearer())
    again = await subgraph.post(too_deep, headers=bearer())
    assert "exceeds maximum operation depth of 12" in messages(first)[0]
    assert messages(again) == messages(first)
    assert codes(again) == codes(first)
    assert "data" not in again or again["data"] is None


async def test_a_query_with_a_syntax_error_gets_the_parser_message(subgraph: Subgraph) -> None:
    for _ in range(2):
        body = await subgraph.post("{ customers(first: 1) { edges ", headers=bearer())
        assert "Syntax Error" in messages(body)[0]
        assert codes(body) == ["GRAPHQL_PARSE_FAILED"]


async def test_an_unknown_field_is_refused_every_time(subgraph: Subgraph) -> None:
    for _ in range(2):
        body = await subgraph.post("{ customers(first: 1) { nope } }", headers=bearer())
        assert "Cannot query field 'nope'" in messages(body)[0]
        assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
