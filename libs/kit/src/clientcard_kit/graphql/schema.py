"""A service's subgraph schema, built the same way in all four services."""

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, Final, TypeAlias

from graphql import GraphQLError
from strawberry.extensions import AddValidationRules, SchemaExtension
from strawberry.extensions.query_depth_limiter import create_validator
from strawberry.federation import Schema
from strawberry.printer import print_schema
from strawberry.types.execution import ExecutionContext, ExecutionResult

from clientcard_kit.graphql.authentication import RequireAuthentication
from clientcard_kit.graphql.conflicts import retry_conflicting_mutations
from clientcard_kit.graphql.cost import CostLimit
from clientcard_kit.graphql.error_codes import ErrorCodes, client_error, log_unexpected_errors
from clientcard_kit.graphql.input_text import StorableTextLiterals, StorableTextVariables
from clientcard_kit.graphql.leaf_fields import LeafFieldsExecution
from clientcard_kit.graphql.limits import MAX_ALIASES, MAX_TOKENS, max_aliases_rule
from clientcard_kit.graphql.operation_cache import CachedOperations, OperationCache
from clientcard_kit.graphql.pagination import PageInfo
from clientcard_kit.graphql.request_reads import CloseRequestReads
from clientcard_kit.graphql.scalars import SCALAR_OVERRIDES

# The open composers (The Guild's and Apollo's) accept links up to v2.9; Strawberry's
# default, v2.11, is refused by them.
FEDERATION_VERSION: Final = "2.9"
# The gateway flattens a client's query into one subgraph query per hop, so a subgraph
# never needs much depth; the gateway limits the client's query on its own.
DEFAULT_MAX_DEPTH: Final = 12

ExtensionFactory: TypeAlias = type[SchemaExtension] | Callable[[], SchemaExtension]


class SubgraphSchema(Schema):
    """Strawberry's federation schema, logging only the errors that are news."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry's default logs every error with its traceback, a NOT_FOUND as loudly as
        # a crash; clients' mistakes belong in the response, not in the error log.
        log_unexpected_errors(errors)

    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        result = await super().execute(*args, **kwargs)
        # ErrorCodes sees the errors of every stage, but an exception escaping an extension
        # reaches the result past it, its text intact: check the final result once more.
        if result.errors:
            result.errors = [client_error(error) for error in result.errors]
        return result


# Distinct operation texts whose parse and validation a subgraph remembers.
KNOWN_OPERATIONS = 256


def build_schema(
    *,
    query: type,
    mutation: type | None = None,
    types: Iterable[type] = (),
    extensions: Iterable[ExtensionFactory] = (),
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Schema:
    """The subgraph schema of a service, with the kit's scalars, auth and error codes.

    `types` lists types reachable only through `_entities` (e.g. an entity the service
    extends but never returns from a field); `extensions` come after the kit's own.
    """
    # Built once: a rule class made per request would defeat the operation cache.
    depth_rule = create_validator(max_depth, should_ignore=None)
    aliases_rule = max_aliases_rule(MAX_ALIASES)
    kit_extensions: list[ExtensionFactory] = [
        # First, so that its after-the-operation step runs last and sees every error.
        ErrorCodes,
        RequireAuthentication,
        StorableTextVariables,
        CostLimit,
        partial(AddValidationRules, [depth_rule, aliases_rule, StorableTextLiterals]),
        # The gateway sends the same few operations again and again: parse and validate
        # each text once (together more than half a subgraph's CPU for a card).
        partial(CachedOperations, OperationCache(KNOWN_OPERATIONS, max_tokens=MAX_TOKENS)),
        CloseRequestReads,
    ]
    scalar_overrides: dict[object, Any] = dict(SCALAR_OVERRIDES)
    schema = SubgraphSchema(
        query=query,
        mutation=mutation,
        # PageInfo is declared in every subgraph whether or not a field returns it yet,
        # so that all four SDLs define the shared type identically.
        types=[PageInfo, *types],
        extensions=[*kit_extensions, *extensions],
        scalar_overrides=scalar_overrides,
        federation_version=FEDERATION_VERSION,
        execution_context_class=LeafFieldsExecution,
    )
    retry_conflicting_mutations(schema._schema)
    return schema


def print_subgraph_sdl(schema: Schema) -> str:
    """The SDL that composition reads: what `_service { sdl }` answers, newline-terminated."""
    return print_schema(schema) + "\n"
