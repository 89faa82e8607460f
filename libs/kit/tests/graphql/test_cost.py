"""The gateway's cost estimate, kept by a subgraph whoever calls it."""

from graphql import parse

from clientcard_kit.graphql.cost import MAX_COST, estimate_cost

from .support import Subgraph, bearer, codes


def many_pages(aliases: int, first: int) -> str:
    fields = " ".join(
        f"a{n}: customers(first: {first}) {{ edges {{ node {{ id }} }} }}" for n in range(aliases)
    )
    return "{ " + fields + " }"


def test_a_connection_counts_its_items_and_a_list_the_assumed_size(schema: object) -> None:
    graphql_schema = schema._schema  # type: ignore[attr-defined]
    # The connection once, its edges list 200 times, each edge's node 200 times.
    one_page = parse("{ customers(first: 200) { edges { node { id } } } }")
    assert estimate_cost(graphql_schema, one_page, None, {}) == 1 + 200 + 200
    by_variable = parse("query($n: Int) { customers(first: $n) { edges { node { id } } } }")
    assert estimate_cost(graphql_schema, by_variable, None, {"n": 5}) == 1 + 5 + 5


async def test_an_operation_over_the_limit_is_refused_before_it_runs(subgraph: Subgraph) -> None:
    # Twenty pages of 200 (aliases well within their limit) come to more than 5,000.
    costly = await subgraph.post(many_pages(20, 200), headers=bearer())
    assert codes(costly) == ["COST_LIMIT_EXCEEDED"]
    assert costly["errors"][0]["extensions"]["cost"] == {"estimated": 20 * 401, "max": MAX_COST}
    assert costly.get("data") is None
    cheap = await subgraph.post(many_pages(2, 200), headers=bearer())
    assert "errors" not in cheap
