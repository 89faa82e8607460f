"""Rule violations that services' domain code raises, each with the code clients see.

Plain exceptions, free of any web or GraphQL library, so domain modules stay pure; the
GraphQL layer turns them into errors with `extensions.code`, the POS HTTP routes into
status codes.
"""


class DomainError(Exception):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        # Machine-readable facts for the client, e.g. the id of the customer a phone
        # already belongs to; they go next to `code` in the GraphQL error's extensions.
        self.details = details

    @property
    def extensions(self) -> dict[str, object]:
        return {"code": self.code, **self.details}


class InvalidInput(DomainError):
    """Input that breaks a rule; `field` names the argument path, e.g. `input.phone`."""

    code = "BAD_USER_INPUT"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field

    @property
    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "field": self.field, **self.details}


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class Unavailable(DomainError):
    """Another service needed to answer could not: nothing was done, and a retry may work."""

    code = "SERVICE_UNAVAILABLE"
