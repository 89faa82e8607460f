"""Ids as GraphQL carries them (`ID`, any string) read as the UUIDs every service keys by.

Two readings, one rule each: an id given as an argument that is no id is the caller's
mistake (BAD_USER_INPUT naming the argument); an id the caller looks something up by, or
a federation reference, that is no id names nothing (None: the lookup finds nothing).
"""

import uuid
from collections.abc import Iterable

from clientcard_kit.errors import InvalidInput


def reference_id(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def argument_id(value: object, field: str) -> uuid.UUID:
    parsed = reference_id(value)
    if parsed is None:
        raise InvalidInput(field, f"{value!r} is not an id")
    return parsed


def argument_ids(values: Iterable[object], field: str) -> list[uuid.UUID]:
    return [argument_id(value, field) for value in values]
