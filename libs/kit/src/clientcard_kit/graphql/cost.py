"""The gateway's cost estimate, kept by every subgraph for whoever calls it.

The same model as `gateway/lib/operation-cost.mjs`, so a subgraph refuses what the
gateway would: every field returning an object costs 1, counted as many times as it can
occur in the answer; a field with `first` yields `first` items (a list, or a connection
whose edges hold them), any other list `ASSUMED_LIST_SIZE` per level. One difference:
`_entities` yields as many items as the representations it was given (the gateway's
query plan sends what it needs), so a subgraph's share of an operation never costs more
than the whole did at the gateway.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    get_argument_values,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    is_composite_type,
    is_list_type,
    type_from_ast,
)
from graphql.execution.values import VariableValues, get_variable_values
from strawberry.extensions import SchemaExtension

# The gateway's defaults (GATEWAY_MAX_COST, GATEWAY_ASSUMED_LIST_SIZE).
MAX_COST = 5000
ASSUMED_LIST_SIZE = 10
COST_LIMIT_EXCEEDED = "COST_LIMIT_EXCEEDED"


def estimate_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any],
) -> int | None:
    """The operation's estimated cost; None when it cannot be told (execution reports)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    root = schema.get_root_type(operation.operation)
    if root is None:
        return None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    coerced = get_variable_values(schema, operation.variable_definitions or (), dict(variables))
    if not isinstance(coerced, VariableValues):
        return None  # invalid variables: execution reports them
    try:
        return _cost(schema, fragments, coerced, root, operation.selection_set, 1, None)
    except (GraphQLError, TypeError, ValueError):
        return None


def _cost(
    schema: GraphQLSchema,
    fragments: dict[str, FragmentDefinitionNode],
    variables: VariableValues,
    parent: Any,
    selections: SelectionSetNode,
    multiplier: int,
    slice_: int | None,
    active: frozenset[str] = frozenset(),
) -> int:
    cost = 0
    for selection in selections.selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            kind = type_from_ast(schema, condition) if condition else parent
            if kind is not None:
                cost += _cost(
                    schema,
                    fragments,
                    variables,
                    kind,
                    selection.selection_set,
                    multiplier,
                    slice_,
                    active,
                )
            continue
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in active:
                continue
            kind = type_from_ast(schema, fragment.type_condition)
            if kind is not None:
                cost += _cost(
                    schema,
                    fragments,
                    variables,
                    kind,
                    fragment.selection_set,
                    multiplier,
                    slice_,
                    active | {name},
                )
            continue
        assert isinstance(selection, FieldNode)
        cost += _field_cost(
            schema, fragments, variables, parent, selection, multiplier, slice_, active
        )
    return cost


def _field_cost(
    schema: GraphQLSchema,
    fragments: dict[str, FragmentDefinitionNode],
    variables: VariableValues,
    parent: Any,
    node: FieldNode,
    multiplier: int,
    slice_: int | None,
    active: frozenset[str],
) -> int:
    name = node.name.value
    fields = getattr(parent, "fields", None)
    if name.startswith("__") or fields is None or name not in fields:
        return 0  # introspection is the schema's size; unknown fields fail validation
    field = fields[name]
    first: int | None = None
    if "first" in field.args or name == "_entities":
        arguments = get_argument_values(field, node, variables)
        if name == "_entities":
            first = len(arguments.get("representations") or [])
        else:
            value = arguments.get("first")
            first = value if isinstance(value, int) and value >= 0 else ASSUMED_LIST_SIZE
    returns_list = is_list_type(get_nullable_type(field.type))
    size = first if first is not None else slice_ if slice_ is not None else ASSUMED_LIST_SIZE
    count = multiplier * _list_factor(field.type, size)
    named = get_named_type(field.type)
    cost = count if is_composite_type(named) else 0
    if node.selection_set is not None:
        child_slice = first if first is not None and not returns_list else None
        cost += _cost(
            schema, fragments, variables, named, node.selection_set, count, child_slice, active
        )
    return cost


def _list_factor(kind: Any, size: int) -> int:
    """1 for a single value; for a list, `size` at its outer level, the assumed size deeper."""
    factor, level = 1, 0
    current = get_nullable_type(kind)
    while is_list_type(current):
        factor *= size if level == 0 else ASSUMED_LIST_SIZE
        level += 1
        current = get_nullable_type(current.of_type)
    return factor


class CostLimit(SchemaExtension):
    """Answers COST_LIMIT_EXCEEDED instead of executing an operation above MAX_COST."""

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        document = execution.graphql_document
        if execution.result is None and document is not None:
            cost = estimate_cost(
                execution.schema._schema,
                document,
                execution.operation_name,
                execution.variables or {},
            )
            if cost is not None and cost > MAX_COST:
                # A result set before execution makes Strawberry skip the operation.
                execution.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"the operation is too expensive: its estimated cost is {cost}, "
                            f"the limit is {MAX_COST}",
                            extensions={
                                "code": COST_LIMIT_EXCEEDED,
                                "cost": {"estimated": cost, "max": MAX_COST},
                            },
                        )
                    ],
                )
        yield
