"""Text a client sends that cannot be stored is refused at the door, as BAD_USER_INPUT.

A NUL byte in a name, a note or a search text used to reach PostgreSQL and come back as
an internal error. Every string an operation carries is checked against the platform's
one rule (`clientcard_contracts.text`) before any resolver runs: literals in the document
by a validation rule (so once per operation text, with the validation cache), variables
by an extension on every request.
"""

from collections.abc import Iterator
from typing import Any

from graphql import ExecutionResult, GraphQLError, StringValueNode, ValidationRule
from strawberry.extensions import SchemaExtension

from clientcard_contracts.text import text_problem
from clientcard_kit.graphql.errors import BAD_USER_INPUT


class StorableTextLiterals(ValidationRule):
    """Refuses a string literal in the operation that could not be stored."""

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        problem = text_problem(node.value)
        if problem is not None:
            self.report_error(
                GraphQLError(f"a string {problem}", node, extensions={"code": BAD_USER_INPUT})
            )


def unstorable(value: object, path: str) -> str | None:
    """The first string inside a variable's value that cannot be stored, as a message."""
    if isinstance(value, str):
        problem = text_problem(value)
        return f"{path}: {problem}" if problem else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = unstorable(key, path) or unstorable(item, f"{path}.{key}")
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = unstorable(item, f"{path}[{index}]")
            if found:
                return found
    return None


class StorableTextVariables(SchemaExtension):
    """Answers BAD_USER_INPUT, naming the variable, instead of executing the operation."""

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        if execution.result is None:
            for name, value in (execution.variables or {}).items():
                problem = unstorable(value, f"${name}")
                if problem is not None:
                    # A result set before execution makes Strawberry skip the operation.
                    execution.result = ExecutionResult(
                        data=None,
                        errors=[GraphQLError(problem, extensions={"code": BAD_USER_INPUT})],
                    )
                    break
        yield
