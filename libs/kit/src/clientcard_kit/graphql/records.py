"""A GraphQL object type filled from a domain record with the same field names.

Most of the contract's small types (a note, a reservation, a program's settings) show a
record's fields as they are; a type names only the fields it shows differently (an id
as the GraphQL ID, a moment the record keeps under another name).
"""

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")

_STORED: dict[type, tuple[str, ...]] = {}


def _stored_fields(graphql_type: type) -> tuple[str, ...]:
    """The fields a value of the type holds (a field with a resolver computes its own)."""
    names = _STORED.get(graphql_type)
    if names is None:
        names = tuple(
            field.name
            for field in dataclasses.fields(graphql_type)
            if field.init and getattr(field, "base_resolver", None) is None
        )
        _STORED[graphql_type] = names
    return names


def from_record(graphql_type: type[T], record: Any, /, **converted: Any) -> T:
    """The type's stored fields read from the record's attributes of the same names.

    Positional-only, so that a type keeping its record (a private `record` field) can
    pass it among the converted values.
    """
    values = {
        name: getattr(record, name)
        for name in _stored_fields(graphql_type)
        if name not in converted
    }
    return graphql_type(**values, **converted)
