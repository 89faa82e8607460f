"""No operation runs without a valid principal, except reading the schema.

A subgraph reached directly must be as closed as the gateway. In development, composition
tooling reads `_service { sdl }` (and may introspect) before anyone has a token, so an
operation selecting only those fields passes there; elsewhere the schema is read from the
checked-in SDL files, and a subgraph answers it only to a valid token. `_entities` is
data and always needs a token.
"""

from collections.abc import Iterator, Mapping
from typing import Final

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    SelectionSetNode,
    get_operation_ast,
)
from strawberry.extensions import SchemaExtension

from clientcard_kit.graphql.context import AUTHENTICATION_REQUIRED, RequestContext
from clientcard_kit.graphql.errors import UNAUTHENTICATED

PUBLIC_ROOT_FIELDS: Final = frozenset({"_service", "__typename", "__schema", "__type"})


def _root_fields(
    selections: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> Iterator[str]:
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            yield selection.name.value
        elif isinstance(selection, InlineFragmentNode):
            yield from _root_fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            # A fragment spread within itself is invalid; `seen` only keeps this finite.
            if fragment is not None and name not in seen:
                yield from _root_fields(fragment.selection_set, fragments, seen | {name})


def reads_only_schema(document: DocumentNode, operation_name: str | None) -> bool:
    """Whether the operation selects nothing but the schema's own description."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return False
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    return all(
        name in PUBLIC_ROOT_FIELDS for name in _root_fields(operation.selection_set, fragments)
    )


class RequireAuthentication(SchemaExtension):
    """Answers UNAUTHENTICATED, saying why, instead of executing a guarded operation."""

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        context = execution.context
        principal = context.principal if isinstance(context, RequestContext) else None
        document = execution.graphql_document
        schema_is_public = isinstance(context, RequestContext) and context.schema_is_public
        if principal is None and not (
            schema_is_public
            and document is not None
            and reads_only_schema(document, execution.operation_name)
        ):
            reason = context.auth_error if isinstance(context, RequestContext) else None
            # A result set before execution makes Strawberry skip executing the operation.
            execution.result = ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        str(reason or AUTHENTICATION_REQUIRED),
                        extensions={"code": UNAUTHENTICATED},
                    )
                ],
            )
        yield
