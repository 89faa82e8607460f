"""The receipts service's rule violations, each with the code clients see."""

from clientcard_contracts.pos import Problem
from clientcard_kit.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound

__all__ = ["Conflict", "Forbidden", "InvalidInput", "NotFound", "ReceiptRejected"]


class ReceiptRejected(DomainError):
    """A receipt broke one or more rules; every problem is listed, for GraphQL clients too."""

    code = "BAD_USER_INPUT"

    def __init__(self, problems: list[Problem], prefix: str = "") -> None:
        self.problems = problems
        shown = [Problem(_field(prefix, p.path), p.message) for p in problems]
        super().__init__(
            "; ".join(str(problem) for problem in shown),
            problems=[{"field": p.path, "message": p.message} for p in shown],
        )


def _field(prefix: str, path: str) -> str:
    if not prefix:
        return path
    return f"{prefix}.{path}" if path else prefix
