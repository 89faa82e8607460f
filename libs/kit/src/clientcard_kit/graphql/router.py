"""The FastAPI router serving a subgraph schema (the app factory mounts it at /graphql)."""

from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.fastapi import GraphQLRouter
from strawberry.federation import Schema

from clientcard_kit.graphql.context import RequestContext


def graphql_router(
    schema: Schema,
    context_getter: Callable[..., Awaitable[RequestContext[Any]]],
    graphiql: bool = False,
) -> GraphQLRouter[RequestContext[Any], None]:
    return GraphQLRouter(
        schema,
        context_getter=context_getter,
        graphql_ide="graphiql" if graphiql else None,
        # No subgraph has subscriptions; not accepting WebSockets leaves nothing to guard.
        subscription_protocols=(),
    )
