"""Limits a subgraph keeps whoever calls it, the same as the gateway's.

The gateway refuses deep, long or costly operations before any subgraph hears of them;
a subgraph reached directly (inside the cluster, or through a misrouted ingress) refuses
them too: depth (Strawberry's rule), tokens (while parsing, see `operation_cache`), and
aliases, which let one small operation ask for the same expensive list a thousand times.
"""

from typing import Any

from graphql import FieldNode, GraphQLError, ValidationRule

from clientcard_kit.graphql.errors import BAD_USER_INPUT

# The gateway's defaults (GATEWAY_MAX_DEPTH, GATEWAY_MAX_TOKENS).
MAX_TOKENS = 2000
# A card or a list page uses none; a query plan a handful.
MAX_ALIASES = 50


def max_aliases_rule(limit: int) -> type[ValidationRule]:
    """A validation rule refusing an operation with more than `limit` aliased fields."""

    class MaxAliases(ValidationRule):
        def __init__(self, context: Any) -> None:
            super().__init__(context)
            self.count = 0

        def enter_field(self, node: FieldNode, *_: Any) -> None:
            if node.alias is None:
                return
            self.count += 1
            if self.count == limit + 1:
                self.report_error(
                    GraphQLError(
                        f"the operation has more than {limit} aliases",
                        node,
                        extensions={"code": BAD_USER_INPUT},
                    )
                )

    return MaxAliases
