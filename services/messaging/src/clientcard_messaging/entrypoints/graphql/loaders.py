"""Per-request DataLoaders: everything a list or `_entities` touches is read in one query."""

import uuid
from datetime import datetime

from strawberry.dataloader import DataLoader

from clientcard_kit.tenant_services import tenant_loader as _loader
from clientcard_messaging.domain import records
from clientcard_messaging.entrypoints.graphql.context import Info


def subscriptions(info: Info) -> DataLoader[uuid.UUID, list[records.Subscription]]:
    return _loader(info, "subscriptions", lambda uow, ids: uow.subscriptions.of_customers(ids), [])


def conversation(
    info: Info, limit: int, after: tuple[datetime, uuid.UUID] | None
) -> DataLoader[uuid.UUID, list[records.Message]]:
    # One loader per page shape: customers asking for the same page share one query.
    return _loader(
        info,
        ("conversation", limit, after),
        lambda uow, ids: uow.messages.pages(ids, limit, after),
        [],
    )


def conversation_sizes(info: Info) -> DataLoader[uuid.UUID, int]:
    return _loader(info, "conversation_sizes", lambda uow, ids: uow.messages.counts(ids), 0)


def broadcasts(info: Info) -> DataLoader[uuid.UUID, records.Broadcast | None]:
    return _loader(info, "broadcasts", lambda uow, ids: uow.broadcasts.get_many(ids), None)


def broadcast_stats(info: Info) -> DataLoader[uuid.UUID, records.BroadcastStats]:
    return _loader(
        info,
        "broadcast_stats",
        lambda uow, ids: uow.broadcasts.stats(ids),
        records.BroadcastStats(),
    )


def nps_responses(info: Info) -> DataLoader[uuid.UUID, list[records.NpsResponse]]:
    return _loader(info, "nps_responses", lambda uow, ids: uow.nps.of_customers(ids), [])
