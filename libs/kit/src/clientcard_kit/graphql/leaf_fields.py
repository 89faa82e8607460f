"""Plain scalar fields answered without graphql-core's per-field machinery.

A card's answer is mostly leaves: the amount, date and status of each of its ~200 receipts,
operations and messages. graphql-core gives every field the same treatment whatever it is:
a resolve-info object, an argument check, the resolver through Strawberry's wrapper, an
awaitable check and a completion dispatch; about 4 µs a field on the 2-core machine, a
fifth of a subgraph's CPU for a card. A field that only reads an attribute (no resolver, no
arguments, no extensions) and returns a scalar or an enum needs none of it: its value is
the attribute, coerced by its type as graphql-core would coerce it.

Anything else, and any value this path is not sure of (missing, null where the type says
non-null, refused by the type), takes graphql-core's own path, which reports it as it
always has: the answers and errors are the same, only cheaper.
"""

from dataclasses import dataclass
from typing import Any, Final
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

_DEFINITION: Final = GraphQLCoreConverter.DEFINITION_BACKREF


@dataclass(frozen=True, slots=True)
class LeafField:
    """How to answer one plain field: the attribute it reads and its type's coercion."""

    attribute: str
    type: GraphQLLeafType
    non_null: bool


# Per schema, per (type, field): its plan, or None when it must take the general path.
_PLANS: WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], LeafField | None]] = (
    WeakKeyDictionary()
)


def leaf_field(field: GraphQLField) -> LeafField | None:
    """The plan of a field that only reads an attribute and returns a scalar or an enum."""
    if field.args or not getattr(field.resolve, "_is_default", False):
        return None
    definition = (field.extensions or {}).get(_DEFINITION)
    if not isinstance(definition, StrawberryField) or not definition.is_basic_field:
        return None
    if definition.default_resolver is not getattr:
        return None  # a schema configured to read values otherwise keeps its own way
    non_null = isinstance(field.type, GraphQLNonNull)
    leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if not is_leaf_type(leaf):
        return None
    return LeafField(definition.python_name, leaf, non_null)


def _plan(schema: GraphQLSchema, parent: GraphQLObjectType, name: str) -> LeafField | None:
    plans = _PLANS.setdefault(schema, {})
    key = (parent.name, name)
    try:
        return plans[key]
    except KeyError:
        field = parent.fields.get(name)
        plans[key] = plan = leaf_field(field) if field is not None else None
        return plan


class LeafFieldsExecution(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution, with plain scalar fields completed in one step."""

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        # Extensions that wrap every resolver (none of the kit's) see each field as before.
        manager = self.middleware_manager
        if manager is None or not manager.middlewares:
            name = field_details_list[0].node.name.value
            plan = _plan(self.schema, parent_type, name)
            if plan is not None:
                value = _completed(plan, source)
                if value is not Undefined:
                    return value
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


def _completed(plan: LeafField, source: Any) -> Any:
    """The field's answer, or Undefined when graphql-core's path should give it."""
    value = getattr(source, plan.attribute, Undefined)
    if value is None:
        return Undefined if plan.non_null else None
    if value is Undefined or isinstance(value, Exception):
        return Undefined  # missing, or an error graphql-core reports as the field's
    try:
        coerced = plan.type.coerce_output_value(value)
    except Exception:  # the general path raises it again and reports it
        return Undefined
    return Undefined if coerced is None else coerced
