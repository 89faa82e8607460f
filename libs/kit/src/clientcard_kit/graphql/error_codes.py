"""Every error a client receives carries `extensions.code`; unexpected ones reveal nothing.

graphql-core already copies the `extensions` of an exception raised by a resolver (our
`DomainError`s and the scalars' `BadUserInput`) onto the GraphQL error. `ErrorCodes` fills
in the code where no one set it, from the stage that failed, and replaces an unexpected
exception by a generic "internal error" so that SQL, stack details or secrets in exception
texts never reach a client; `log_unexpected_errors` writes those to the log instead.
"""

import logging
from collections.abc import Iterator, Sequence

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from clientcard_kit.graphql.errors import (
    BAD_USER_INPUT,
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    INTERNAL_SERVER_ERROR,
)

log = logging.getLogger("clientcard_kit.graphql")

INTERNAL_ERROR_MESSAGE = "internal error"


def _code(error: GraphQLError) -> object:
    return (error.extensions or {}).get("code")


def is_unexpected(error: GraphQLError) -> bool:
    """An exception no one meant a client to read: a bug, a lost connection, a timeout."""
    original = error.original_error
    return (
        _code(error) is None
        and original is not None
        # GraphQLErrors are written for clients, e.g. by Strawberry's input conversion.
        and not isinstance(original, GraphQLError)
    )


def client_error(error: GraphQLError) -> GraphQLError:
    """The error as a client may see it, with a code in its extensions."""
    if _code(error) is not None:
        return error
    if is_unexpected(error):
        return GraphQLError(
            INTERNAL_ERROR_MESSAGE,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": INTERNAL_SERVER_ERROR},
        )
    # The rest come from graphql-core itself. With a path they arose while building the
    # response (a resolver returned null for a non-null field): the server's fault, though
    # the message names only the schema. Without one the request was at fault, e.g. a
    # variable of the wrong type or a missing operation name.
    code = INTERNAL_SERVER_ERROR if error.path is not None else BAD_USER_INPUT
    error.extensions = {**(error.extensions or {}), "code": code}
    return error


def _tag(errors: Sequence[GraphQLError] | None, code: str) -> None:
    for error in errors or ():
        if _code(error) is None:
            error.extensions = {**(error.extensions or {}), "code": code}


class ErrorCodes(SchemaExtension):
    """Gives each error of a result its code and masks the unexpected ones."""

    def on_parse(self) -> Iterator[None]:
        yield
        _tag(self.execution_context.pre_execution_errors, GRAPHQL_PARSE_FAILED)

    def on_validate(self) -> Iterator[None]:
        yield
        # Values refused by a scalar while validating literals keep their BAD_USER_INPUT.
        _tag(self.execution_context.pre_execution_errors, GRAPHQL_VALIDATION_FAILED)

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [client_error(error) for error in result.errors]


def log_unexpected_errors(errors: Sequence[GraphQLError]) -> None:
    """Log what `ErrorCodes` masks, with its traceback; expected errors are not news."""
    for error in errors:
        if is_unexpected(error):
            log.error(
                "unexpected error in %s: %s",
                ".".join(str(key) for key in error.path or ()) or "the operation",
                error.message,
                exc_info=error.original_error,
            )
        elif error.path is not None and _code(error) is None:
            log.error("invalid result at %s: %s", ".".join(map(str, error.path)), error.message)
        else:
            log.debug("request refused: %s", error.message)
