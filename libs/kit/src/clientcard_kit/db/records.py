"""A domain record from a row, and a row from a record, where their names are the same.

The domain's records are frozen dataclasses whose field names are their columns' names, so
a repository names only what differs: a column held as text that the record keeps as an
enum, a JSON document the record keeps as a tuple, a field without a column.
"""

import dataclasses
from collections.abc import Collection, Mapping
from typing import Any, TypeVar

R = TypeVar("R")

_FIELDS: dict[type, tuple[str, ...]] = {}


def field_names(record_type: type) -> tuple[str, ...]:
    names = _FIELDS.get(record_type)
    if names is None:
        names = tuple(field.name for field in dataclasses.fields(record_type))
        _FIELDS[record_type] = names
    return names


def record_from_row(record_type: type[R], row: Mapping[Any, Any], **converted: Any) -> R:
    """The record of the row's columns named as its fields; `converted` gives the fields
    whose column does not hold the value as the record keeps it."""
    values = {name: row[name] for name in field_names(record_type) if name not in converted}
    return record_type(**values, **converted)


def row_of(record: Any, *, leave_out: Collection[str] = (), **converted: Any) -> dict[str, Any]:
    """The columns of the record's fields, but those left out; `converted` gives the
    columns that do not hold a field as it is (an enum's text, a renamed field)."""
    row = {
        name: getattr(record, name)
        for name in field_names(type(record))
        if name not in converted and name not in leave_out
    }
    row.update(converted)
    return row
