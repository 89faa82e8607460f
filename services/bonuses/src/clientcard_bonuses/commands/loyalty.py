"""Changes of the loyalty standing of accounts: pending lots freed, spends counted again
as sales leave the 365-day window, everyone placed in changed tiers, birthday bonuses.

Each takes a batch of one tenant's accounts in a few queries and commits it; the runs in
`loyalty_runs` repeat them over every tenant. Accounts another transaction holds are
skipped by the jobs that find due accounts (their turn comes at the next run); spend
reviews and birthdays of a tenant are looked for by one replica at a time (a job lock).
"""

import uuid
from datetime import date, datetime

from clientcard_bonuses.commands import publishing
from clientcard_bonuses.commands.accounts import clock
from clientcard_bonuses.db.unit_of_work import BonusesUnitOfWork
from clientcard_bonuses.domain import birthdays, tiers
from clientcard_bonuses.domain.account import Totals
from clientcard_bonuses.domain.ledger import Ledger
from clientcard_bonuses.domain.program import LoyaltyProgram
from clientcard_contracts.enums import BonusEvent
from clientcard_kit.jobs import holds_job_lock


async def keep_birthday(
    uow: BonusesUnitOfWork, customer_id: uuid.UUID, born: date | None, version: int
) -> None:
    await uow.birthdays.keep(customer_id, born, version)
    await uow.commit()


async def release_pending(uow: BonusesUnitOfWork, now: datetime, limit: int) -> int:
    """Free the pending lots that may be spent by now, in up to `limit` accounts."""
    due = await uow.accounts.lock_existing(await uow.standing.due_releases(now, limit))
    lots = await uow.accounts.open_lots_of([customer_id for customer_id, _ in due])
    ledgers = []
    for customer_id, totals in due:
        ledger = Ledger(customer_id, totals, lots.get(customer_id, []))
        ledger.refresh(now)
        ledgers.append(ledger)
    await uow.accounts.save_many(ledgers, now)
    await uow.commit()
    return len(ledgers)


async def review_spends(uow: BonusesUnitOfWork, now: datetime, limit: int) -> int:
    """Count again the spend of up to `limit` accounts whose oldest counted sale has left
    the window, and place them in the tier it reaches."""
    if not await holds_job_lock(uow.session, f"spend-reviews/{uow.tenant}"):
        return 0  # another replica reviews this tenant now
    due = await uow.standing.due_reviews(now, limit)
    standings = await uow.standing.lock_standings(due)
    spends = await uow.standing.spends(list(standings), now - tiers.WINDOW)
    program = await uow.programs.get()
    counted = {}
    for customer_id, before in standings.items():
        spend, oldest = spends.get(customer_id, (None, None))
        recounted = tiers.recounted(before, spend, oldest)
        counted[customer_id] = tiers.placed(recounted, program.tiers)
    await _save_standings(uow, standings, counted, program, now)
    return len(counted)


async def place_in_tiers(uow: BonusesUnitOfWork, limit: int) -> int:
    """The next batch of the run placing every account in the program's tiers after they
    changed; 0 when no run is due. The program's row is locked for the batch, so two
    replicas take batches one after the other."""
    run = await uow.programs.tiers_run()
    if run is None:
        await uow.commit()
        return 0
    program, after = run
    standings = await uow.standing.lock_next(after, limit)
    placed = {c: tiers.placed(totals, program.tiers) for c, totals in standings.items()}
    await uow.programs.advance_tiers_run(max(standings) if len(standings) == limit else None)
    await _save_standings(uow, standings, placed, program, clock(), tiers_only=True)
    return len(standings)


async def give_birthday_bonuses(uow: BonusesUnitOfWork, now: datetime, limit: int) -> int:
    """Accrue the birthday bonus to up to `limit` customers it is due to today (in the
    tenant's time zone), each once per year; returns how many got it."""
    program = await uow.programs.get()
    if not program.birthday_bonus:
        return 0
    # One replica looks for a tenant's birthdays at a time (the other would find the same
    # customers and wait on their keys); the keys alone keep the bonus once a year.
    if not await holds_job_lock(uow.session, f"birthday-bonuses/{uow.tenant}"):
        return 0
    today = birthdays.local_day(now, program.time_zone)
    due = await uow.birthdays.due(birthdays.due_on(today, program.birthday_days_before), limit)
    claimed = await uow.birthdays.claim(due, now)
    accounts = await uow.accounts.open_many([c for c, _ in claimed], now, with_lots=())
    expires_at = program.birthday_expiry_from(now)
    for opened in accounts.values():
        opened.ledger.accrue(program.birthday_bonus, BonusEvent.BIRTHDAY, now, expires_at)
    ledgers = [opened.ledger for opened in accounts.values()]
    await uow.accounts.save_many(ledgers, now)
    for ledger in ledgers:
        for event in publishing.transactions_recorded(uow.tenant, ledger):
            uow.publish(event)
    await uow.commit()
    return len(due)


async def _save_standings(
    uow: BonusesUnitOfWork,
    before: dict[uuid.UUID, Totals],
    after: dict[uuid.UUID, Totals],
    program: LoyaltyProgram,
    now: datetime,
    *,
    tiers_only: bool = False,
) -> None:
    # A tiers run leaves most accounts as they were (the same object): skipped at once.
    changed = {c: t for c, t in after.items() if t is not before[c] and t != before[c]}
    await uow.standing.save_standings(changed, tiers_only=tiers_only)
    for customer_id, totals in changed.items():
        if totals.tier_version != before[customer_id].tier_version:
            uow.publish(publishing.tier_changed(uow.tenant, customer_id, totals, program, now))
    await uow.commit()
