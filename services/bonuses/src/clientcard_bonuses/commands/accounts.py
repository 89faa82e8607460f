"""Changes of a bonus account by hand and by the platform: the program, manual
operations, the welcome bonus, erasure, the expiry of lots."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from clientcard_bonuses.commands import publishing
from clientcard_bonuses.db.unit_of_work import BonusesUnitOfWork
from clientcard_bonuses.domain import manual, tiers
from clientcard_bonuses.domain.account import Operation
from clientcard_bonuses.domain.ledger import InsufficientBalance, Ledger
from clientcard_bonuses.domain.program import LoyaltyProgram, ProgramChanges
from clientcard_contracts.enums import BonusEvent
from clientcard_kit.errors import InvalidInput


def clock() -> datetime:
    return datetime.now(UTC)


async def update_loyalty_program(
    uow: BonusesUnitOfWork, changes: ProgramChanges, author: str
) -> LoyaltyProgram:
    before = await uow.programs.get(for_update=True)
    program = changes.applied_to(before)
    # New tiers place every account again, in batches by a job (see `loyalty`).
    tiers_changed = program.tiers != before.tiers
    await uow.programs.save(program, author, clock(), tiers_changed=tiers_changed)
    await uow.commit()
    return program


async def accrue_bonuses(
    uow: BonusesUnitOfWork,
    customer_id: uuid.UUID,
    amount: Decimal,
    comment: str | None,
    author: str,
    request_id: str | None = None,
    *,
    expires_at: datetime | None = None,
) -> Operation:
    """A manual accrual; its lot burns at `expires_at` if given, else as the program says."""
    request = manual.asked(customer_id, amount, comment, author, request_id)
    now = clock()
    lot_expiry = manual.lot_expiry(expires_at, now)
    program = await uow.programs.get()
    ledger, made = await _open_for(uow, customer_id, now, request, with_lots=False)
    if made:
        return made
    operation = ledger.accrue(
        request.amount,
        BonusEvent.MANUAL,
        now,
        lot_expiry or program.expiry_from(now),
        request.note,
        operation_id=request.operation_id,
    )
    await save(uow, ledger, now)
    await uow.commit()
    return operation


async def write_off_bonuses(
    uow: BonusesUnitOfWork,
    customer_id: uuid.UUID,
    amount: Decimal,
    comment: str | None,
    author: str,
    request_id: str | None = None,
) -> Operation:
    request = manual.asked(customer_id, amount, comment, author, request_id)
    now = clock()
    ledger, made = await _open_for(uow, customer_id, now, request, with_lots=True)
    if made:
        return made
    try:
        operation = ledger.write_off(
            request.amount,
            BonusEvent.MANUAL,
            now,
            request.note,
            operation_id=request.operation_id,
        )
    except InsufficientBalance as refused:
        raise InvalidInput(
            "amount",
            f"{refused.requested} is more than the {refused.balance} that may be written off"
            " (the balance less what tills hold reserved)",
        ) from None
    await save(uow, ledger, now)
    await uow.commit()
    return operation


async def _open_for(
    uow: BonusesUnitOfWork,
    customer_id: uuid.UUID,
    now: datetime,
    request: manual.ManualOperation,
    *,
    with_lots: bool,
) -> tuple[Ledger, Operation | None]:
    """The account, locked, and the operation a retry of the same request already made.

    Looked for under the account's lock: a retry racing its original waits for it.
    """
    ledger = (await uow.accounts.open(customer_id, now, with_lots=with_lots)).ledger
    made = await uow.operations.find(request.operation_id) if request.operation_id else None
    return ledger, made


async def welcome(uow: BonusesUnitOfWork, customer_id: uuid.UUID) -> None:
    """Open the account of a newly registered customer with the welcome bonus, once."""
    now = clock()
    program = await uow.programs.get()
    opened = await uow.accounts.open(customer_id, now, with_lots=False)
    if opened.welcomed:
        return
    ledger = opened.ledger
    if program.welcome_bonus:
        expires_at = program.expiry_from(now)
        ledger.accrue(program.welcome_bonus, BonusEvent.WELCOME, now, expires_at)
    # A tier from a spend of zero takes the customer in from the start.
    tier_version = ledger.totals.tier_version
    ledger.totals = tiers.placed(ledger.totals, program.tiers)
    await save(uow, ledger, now, welcomed=True)
    if ledger.totals.tier_version != tier_version:
        uow.publish(publishing.tier_changed(uow.tenant, customer_id, ledger.totals, program, now))
    await uow.commit()


async def erase_customer(uow: BonusesUnitOfWork, customer_id: uuid.UUID) -> None:
    await uow.accounts.remove(customer_id)
    await uow.birthdays.remove(customer_id)
    await uow.commit()


async def expire_lots(uow: BonusesUnitOfWork, now: datetime, limit: int) -> int:
    """Burn the expired lots of up to `limit` accounts no one else is changing.

    Accounts another transaction holds are skipped (their turn comes at the next run), and
    lots are read after the lock, so two runs at once can never burn a lot twice.
    """
    due = await uow.accounts.customers_with_expired_lots(now, limit)
    burned = 0
    for customer_id, totals in await uow.accounts.lock_existing(due):
        ledger = Ledger(customer_id, totals, await uow.accounts.open_lots(customer_id))
        burned += len(ledger.expire(now))
        await save(uow, ledger, now)
    await uow.commit()
    return burned


async def save(
    uow: BonusesUnitOfWork, ledger: Ledger, now: datetime, *, welcomed: bool | None = None
) -> None:
    await uow.accounts.save(ledger, now, welcomed=welcomed)
    for event in publishing.transactions_recorded(uow.tenant, ledger):
        uow.publish(event)
