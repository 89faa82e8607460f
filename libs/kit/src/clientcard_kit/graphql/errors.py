"""The errors clients see, each with the machine-readable code put into `extensions.code`.

Domain code raises the plain exceptions of `clientcard_kit.errors` (`InvalidInput`,
`NotFound`, `Conflict`, `Forbidden`), which import no web or GraphQL library. This module
adds the two kinds only the API layer raises and gathers them all, so that resolvers import
every error from one place. Any exception whose `extensions` is a dict with a `code` keeps
its message and code on its way to the client; every other exception becomes a generic
internal error (see `clientcard_kit.graphql.error_codes`).
"""

from typing import Final

from clientcard_kit.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound

BAD_USER_INPUT: Final = "BAD_USER_INPUT"
NOT_FOUND: Final = "NOT_FOUND"
FORBIDDEN: Final = "FORBIDDEN"
CONFLICT: Final = "CONFLICT"
UNAUTHENTICATED: Final = "UNAUTHENTICATED"
INTERNAL_SERVER_ERROR: Final = "INTERNAL_SERVER_ERROR"
GRAPHQL_PARSE_FAILED: Final = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED: Final = "GRAPHQL_VALIDATION_FAILED"


class BadUserInput(DomainError):
    """An argument the API refuses before any rule of the domain is consulted."""

    code = BAD_USER_INPUT


class Unauthenticated(DomainError):
    """No principal: the token is missing or was refused (the message says why)."""

    code = UNAUTHENTICATED


__all__ = [
    "BAD_USER_INPUT",
    "CONFLICT",
    "FORBIDDEN",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "INTERNAL_SERVER_ERROR",
    "NOT_FOUND",
    "UNAUTHENTICATED",
    "BadUserInput",
    "Conflict",
    "DomainError",
    "Forbidden",
    "InvalidInput",
    "NotFound",
    "Unauthenticated",
]
