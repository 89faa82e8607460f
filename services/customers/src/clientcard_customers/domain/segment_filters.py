"""A dynamic segment's filter as a document: the contract's CustomerFilter in JSON.

A segment created with a filter keeps exactly the customers the filter matches. The filter
is stored, and shown back (`Segment.filter`), as the JSON of the GraphQL input with its
field names, leaving out what it does not set; reading one back checks it as the list does.
"""

import json
import types
import typing
import uuid
from dataclasses import fields
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from clientcard_customers.domain.client_list import ClientFilter, camel, checked
from clientcard_customers.domain.errors import InvalidInput

_HINTS = typing.get_type_hints(ClientFilter)


def to_document(client_filter: ClientFilter) -> dict[str, Any]:
    """The filter's set fields under their GraphQL names, in JSON values."""
    document: dict[str, Any] = {}
    for item in fields(client_filter):
        value = getattr(client_filter, item.name)
        if value is not None:
            document[camel(item.name)] = _plain(value)
    return document


def to_text(client_filter: ClientFilter) -> str:
    return json.dumps(to_document(client_filter), ensure_ascii=False, sort_keys=True)


def from_document(document: object) -> ClientFilter:
    """The filter a document states, checked; InvalidInput naming what is wrong."""
    if not isinstance(document, dict):
        raise InvalidInput("filter", "a filter is a JSON object")
    names = {camel(item.name): item.name for item in fields(ClientFilter)}
    unknown = sorted(set(document) - set(names))
    if unknown:
        raise InvalidInput("filter", f"no such filter field: {', '.join(unknown)}")
    values: dict[str, Any] = {
        names[key]: _read(f"filter.{key}", _HINTS[names[key]], raw)
        for key, raw in document.items()
        if raw is not None
    }
    return checked(ClientFilter(**values))


def from_text(text: str) -> ClientFilter:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput("filter", f"not JSON: {exc.msg}") from exc
    return from_document(document)


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)  # Decimal, UUID


def _read(field: str, hint: Any, raw: object) -> object:
    kind = _without_none(hint)
    if typing.get_origin(kind) is tuple:
        if not isinstance(raw, list):
            raise InvalidInput(field, "a list")
        element = typing.get_args(kind)[0]
        return tuple(_one(field, element, item) for item in raw)
    return _one(field, kind, raw)


def _one(field: str, kind: Any, raw: object) -> object:
    try:
        if kind is bool:
            if not isinstance(raw, bool):
                raise ValueError("true or false")
            return raw
        if kind is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise ValueError("a whole number")
            return raw
        if kind is str:
            if not isinstance(raw, str):
                raise ValueError("text")
            return raw
        if kind is Decimal:
            return Decimal(str(raw))
        if kind is datetime:
            moment = datetime.fromisoformat(str(raw))
            if moment.tzinfo is None:
                raise ValueError("a moment with its time zone")
            return moment
        if kind is uuid.UUID:
            return uuid.UUID(str(raw))
        if isinstance(kind, type) and issubclass(kind, Enum):
            return kind(raw)
    except (ValueError, InvalidOperation) as exc:
        raise InvalidInput(field, f"not valid here: {raw!r} ({exc})") from exc
    raise InvalidInput(field, "not a filter value")


def _without_none(hint: Any) -> Any:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        kinds = [kind for kind in typing.get_args(hint) if kind is not type(None)]
        return kinds[0]
    return hint
