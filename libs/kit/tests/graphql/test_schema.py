"""The subgraph SDL as composition reads it."""

from strawberry.federation import Schema

from clientcard_kit.graphql import print_subgraph_sdl

from .support import Subgraph


async def test_the_sdl_is_served_without_a_token(subgraph: Subgraph, schema: Schema) -> None:
    body = await subgraph.post("{ _service { sdl } }")
    sdl = body["data"]["_service"]["sdl"]
    assert sdl + "\n" == print_subgraph_sdl(schema)
    assert '@link(url: "https://specs.apollo.dev/federation/v2.9"' in sdl


def test_the_sdl_has_the_contract_shapes(schema: Schema) -> None:
    sdl = print_subgraph_sdl(schema)
    for expected in (
        'type Customer @key(fields: "id")',
        "scalar Decimal\n",
        "scalar DateTime\n",
        "scalar Date\n",
        "type PageInfo @shareable {\n  hasNextPage: Boolean!\n  endCursor: String\n}",
        "type CustomerConnection {\n  edges: [CustomerEdge!]!\n  pageInfo: PageInfo!\n"
        "  totalCount: Int!\n}",
        "type CustomerEdge {\n  cursor: String!\n  node: Customer!\n}",
        "customers(first: Int = 2, after: String = null): CustomerConnection!",
        "renameCustomer(id: ID!, name: String!): Customer!",
    ):
        assert expected in sdl, expected
    assert sdl.endswith("}\n")
