"""The GraphQL layer every service shares: scalars, errors, auth, pagination, schema.

A service writes its types and resolvers and hands them to `build_schema`; the app
factory serves the result with `graphql_router` and `make_context_getter`.
"""

from clientcard_kit.graphql.authentication import RequireAuthentication, reads_only_schema
from clientcard_kit.graphql.context import RequestContext, authenticate, make_context_getter
from clientcard_kit.graphql.dataloaders import in_key_order
from clientcard_kit.graphql.error_codes import ErrorCodes
from clientcard_kit.graphql.errors import (
    BadUserInput,
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthenticated,
)
from clientcard_kit.graphql.pagination import (
    MAX_PAGE_SIZE,
    Connection,
    Edge,
    PageInfo,
    PageRequest,
    decode_cursor,
    encode_cursor,
    page_request,
)
from clientcard_kit.graphql.router import graphql_router
from clientcard_kit.graphql.scalars import SCALAR_OVERRIDES
from clientcard_kit.graphql.schema import FEDERATION_VERSION, build_schema, print_subgraph_sdl

__all__ = [
    "FEDERATION_VERSION",
    "MAX_PAGE_SIZE",
    "SCALAR_OVERRIDES",
    "BadUserInput",
    "Conflict",
    "Connection",
    "DomainError",
    "Edge",
    "ErrorCodes",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "PageInfo",
    "PageRequest",
    "RequestContext",
    "RequireAuthentication",
    "Unauthenticated",
    "authenticate",
    "build_schema",
    "decode_cursor",
    "encode_cursor",
    "graphql_router",
    "in_key_order",
    "make_context_getter",
    "page_request",
    "print_subgraph_sdl",
    "reads_only_schema",
]
