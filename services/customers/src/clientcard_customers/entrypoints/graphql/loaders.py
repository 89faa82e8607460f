"""Per-request DataLoaders: everything a list or `_entities` touches is read in one query."""

import uuid
from datetime import datetime

from strawberry.dataloader import DataLoader

from clientcard_customers.domain import records
from clientcard_customers.entrypoints.graphql.context import Info
from clientcard_kit.tenant_services import tenant_loader as _loader


def customers(info: Info) -> DataLoader[uuid.UUID, records.Customer | None]:
    return _loader(info, "customers", lambda uow, ids: uow.customers.get_many(ids), None)


def segments(info: Info) -> DataLoader[uuid.UUID, records.Segment | None]:
    return _loader(info, "segments", lambda uow, ids: uow.segments.get_many(ids), None)


def segment_sizes(info: Info) -> DataLoader[uuid.UUID, int]:
    return _loader(info, "segment_sizes", lambda uow, ids: uow.segments.counts(ids), 0)


def segments_of(info: Info) -> DataLoader[uuid.UUID, list[records.Segment]]:
    return _loader(info, "segments_of", lambda uow, ids: uow.segments.of_customers(ids), [])


def notes(
    info: Info, limit: int, after: tuple[datetime, uuid.UUID] | None
) -> DataLoader[uuid.UUID, list[records.Note]]:
    # One loader per page shape: customers asking for the same page share one query.
    return _loader(
        info,
        ("notes", limit, after),
        lambda uow, ids: uow.notes.pages(ids, limit, after),
        [],
    )


def note_counts(info: Info) -> DataLoader[uuid.UUID, int]:
    return _loader(info, "note_counts", lambda uow, ids: uow.notes.counts(ids), 0)
