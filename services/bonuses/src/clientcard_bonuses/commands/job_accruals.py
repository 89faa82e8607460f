"""Accruals a customers job asks for (`accrueBonusesByFilter`), a batch at a time.

Each is a normal MANUAL accrual with the job's comment and author, made once per job and
customer: its operation id is derived from both, so a redelivered or replayed request
finds the operation made and makes no second one. The operation's event names the job,
by which customers counts the job's progress.
"""

import uuid
from collections.abc import Sequence

from clientcard_bonuses.commands import publishing
from clientcard_bonuses.commands.accounts import clock
from clientcard_bonuses.db.unit_of_work import BonusesUnitOfWork
from clientcard_bonuses.domain import manual
from clientcard_bonuses.domain.account import Note
from clientcard_contracts.enums import BonusEvent
from clientcard_contracts.events.customers import BonusAccrualRequested


async def apply_job_accruals(
    uow: BonusesUnitOfWork, requests: Sequence[BonusAccrualRequested]
) -> None:
    """Accrue what the requests ask that the ledger has not made yet, in a few queries."""
    asked = {manual.job_operation_id(r.job_id, r.customer_id): r for r in requests}
    if not asked:
        return
    now = clock()
    program = await uow.programs.get()
    # The accounts are locked first: a duplicate delivery racing this one waits, then
    # finds the operations made.
    accounts = await uow.accounts.open_many(
        {request.customer_id for request in asked.values()}, now, with_lots=()
    )
    made = await uow.operations.made_among(list(asked))
    jobs: dict[uuid.UUID, uuid.UUID] = {}
    for operation_id, request in asked.items():
        if operation_id in made:
            continue
        ledger = accounts[request.customer_id].ledger
        ledger.accrue(
            request.amount,
            BonusEvent.MANUAL,
            now,
            request.expires_at or program.expiry_from(now),
            Note(comment=manual.comment(request.comment), author=request.author),
            operation_id=operation_id,
        )
        jobs[operation_id] = request.job_id
    ledgers = [opened.ledger for opened in accounts.values() if opened.ledger.operations]
    await uow.accounts.save_many(ledgers, now)
    for ledger in ledgers:
        for event in publishing.transactions_recorded(uow.tenant, ledger):
            uow.publish(event.model_copy(update={"job_id": jobs.get(event.operation_id)}))
