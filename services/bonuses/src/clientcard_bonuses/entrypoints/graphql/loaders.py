"""Per-request DataLoaders: everything a list or `_entities` touches is read in one query."""

import uuid

from strawberry.dataloader import DataLoader

from clientcard_bonuses.db.unit_of_work import BonusesUnitOfWork
from clientcard_bonuses.domain.account import Operation, Totals
from clientcard_bonuses.domain.program import LoyaltyProgram as Program
from clientcard_bonuses.domain.receipts import ReceiptBonuses
from clientcard_bonuses.domain.records import Expiration
from clientcard_bonuses.entrypoints.graphql.context import Info
from clientcard_contracts.enums import BonusOperationType
from clientcard_kit.tenant_services import tenant_loader as _loader


def totals(info: Info) -> DataLoader[uuid.UUID, Totals]:
    # A customer without an account yet has an empty one.
    return _loader(info, "totals", lambda uow, ids: uow.accounts.totals(ids), Totals())


def next_expirations(info: Info) -> DataLoader[uuid.UUID, Expiration | None]:
    return _loader(
        info, "next_expirations", lambda uow, ids: uow.accounts.next_expirations(ids), None
    )


def operations(
    info: Info, limit: int, before: int | None, type_: BonusOperationType | None
) -> DataLoader[uuid.UUID, list[Operation]]:
    # One loader per page shape: accounts asking for the same page share one query.
    return _loader(
        info,
        ("operations", limit, before, type_),
        lambda uow, ids: uow.operations.pages(ids, limit, before, type_),
        [],
    )


def operation_counts(info: Info, type_: BonusOperationType | None) -> DataLoader[uuid.UUID, int]:
    return _loader(
        info,
        ("operation_counts", type_),
        lambda uow, ids: uow.operations.counts(ids, type_),
        0,
    )


def programs(info: Info) -> DataLoader[uuid.UUID, Program]:
    """The tenant's program, read once per request (every id asked for gets it)."""

    async def read(uow: BonusesUnitOfWork, ids: list[uuid.UUID]) -> dict[uuid.UUID, Program]:
        program = await uow.programs.get()
        return dict.fromkeys(ids, program)

    return _loader(info, "programs", read, Program())


def receipts(info: Info) -> DataLoader[uuid.UUID, ReceiptBonuses | None]:
    return _loader(info, "receipts", lambda uow, ids: uow.receipts.get_many(ids), None)
