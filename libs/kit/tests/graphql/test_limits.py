"""A subgraph keeps the gateway's limits whoever calls it: aliases and tokens."""

from clientcard_kit.graphql.limits import MAX_ALIASES, MAX_TOKENS

from .support import Subgraph, bearer, codes, messages


def aliased(count: int) -> str:
    return "{ " + " ".join(f"a{n}: customers {{ totalCount }}" for n in range(count)) + " }"


async def test_more_aliases_than_the_limit_are_refused_before_anything_runs(
    subgraph: Subgraph,
) -> None:
    body = await subgraph.post(aliased(MAX_ALIASES + 1), headers=bearer())
    assert codes(body) == ["BAD_USER_INPUT"]
    assert messages(body) == [f"the operation has more than {MAX_ALIASES} aliases"]
    allowed = await subgraph.post(aliased(MAX_ALIASES), headers=bearer())
    assert "errors" not in allowed
    assert len(allowed["data"]) == MAX_ALIASES


async def test_a_document_longer_than_the_token_limit_is_refused_every_time(
    subgraph: Subgraph,
) -> None:
    # Each `__typename` is one token, besides the two braces.
    long = "{ " + " ".join(["__typename"] * MAX_TOKENS) + " }"
    for _ in range(2):
        body = await subgraph.post(long, headers=bearer())
        assert codes(body) == ["GRAPHQL_PARSE_FAILED"]
        assert f"more than {MAX_TOKENS} tokens" in messages(body)[0]
    fine = "{ " + " ".join(f"a{n}: __typename" for n in range(MAX_ALIASES)) + " }"
    assert "errors" not in await subgraph.post(fine, headers=bearer())
