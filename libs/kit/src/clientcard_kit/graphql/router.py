"""The FastAPI router serving a subgraph schema (the app factory mounts it at /graphql)."""

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from strawberry.fastapi import GraphQLRouter
from strawberry.federation import Schema

from clientcard_kit.graphql.context import RequestContext


class SubgraphRouter(GraphQLRouter[RequestContext[Any], None]):
    """Strawberry's router reading and writing JSON with orjson.

    A card's answers carry hundreds of objects; the standard library's encoder was a
    tenth of a subgraph's CPU for them. orjson's decode error is a `json.JSONDecodeError`,
    so a malformed body still gets Strawberry's 400.
    """

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)


def graphql_router(
    schema: Schema,
    context_getter: Callable[..., Awaitable[RequestContext[Any]]],
    graphiql: bool = False,
) -> GraphQLRouter[RequestContext[Any], None]:
    return SubgraphRouter(
        schema,
        context_getter=context_getter,
        graphql_ide="graphiql" if graphiql else None,
        # No subgraph has subscriptions; not accepting WebSockets leaves nothing to guard.
        subscription_protocols=(),
    )
