"""The messaging service's rule violations, each with the code clients see."""

from clientcard_kit.errors import Conflict, InvalidInput, NotFound

__all__ = ["Conflict", "InvalidInput", "NotFound"]
