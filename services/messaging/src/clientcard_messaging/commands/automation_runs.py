"""The automation run, on every replica: for each tenant due a run, outside its quiet
hours, note the customers whose day has come and queue a message for every due occasion
(through the retrying send queue); in quiet hours the tenant waits until they end.

`now` is given (the job passes the clock's time), so delays and quiet hours are tested by
moving it.
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from clientcard_contracts.enums import AutomationKind, Channel
from clientcard_kit.db import set_tenant
from clientcard_messaging.channels.registry import Providers
from clientcard_messaging.db import automation_runs as runs
from clientcard_messaging.db.automation_runs import Decision, Due
from clientcard_messaging.db.unit_of_work import SOURCE, MessagingUnitOfWork
from clientcard_messaging.domain import automations as rules
from clientcard_messaging.domain.quiet_hours import MessagingSettings

TENANTS_A_TICK = 10
OCCASIONS_A_BATCH = 5000
# How often a tenant with automations is looked at when nothing is waiting sooner.
LOOK_EVERY = timedelta(minutes=15)
# WIN_BACK writes to those who lapsed within this long, not to everyone who ever did.
WIN_BACK_WINDOW = timedelta(days=7)


async def run_automations(
    sessions: async_sessionmaker[AsyncSession], providers: Providers, now: datetime
) -> int:
    """One tick: returns how many occasions were decided (queued, unreachable or skipped)."""
    done = 0
    async with sessions() as session, session.begin():
        for tenant in await runs.claim_due_tenants(session, now, TENANTS_A_TICK):
            await set_tenant(session, tenant)
            uow = MessagingUnitOfWork.joining(session, tenant=tenant, source=SOURCE)
            done += await run_tenant(uow, providers, now)
    return done


async def run_tenant(uow: MessagingUnitOfWork, providers: Providers, now: datetime) -> int:
    session, tenant = uow.session, uow.tenant
    settings = await uow.automations.settings()
    quiet_until = settings.quiet_until(now)
    if quiet_until is not None:
        await runs.look_again_at(session, tenant, quiet_until)
        return 0
    enabled = {kind: a for kind, a in (await uow.automations.all()).items() if a.enabled}
    if not enabled:
        # Nothing waits (turning off drops the waiting); turning one on brings it back.
        await runs.forget_tenant(session, tenant)
        return 0
    if AutomationKind.BONUS_EXPIRY in enabled:
        ahead = enabled[AutomationKind.BONUS_EXPIRY].delay
        await runs.note_expiring(session, tenant, now, ahead)
    if AutomationKind.WIN_BACK in enabled:
        after = enabled[AutomationKind.WIN_BACK].delay
        await runs.note_lapsed(session, tenant, now, after, WIN_BACK_WINDOW)
    configured = providers.configured(tenant)
    due = await runs.due(session, tenant, now, OCCASIONS_A_BATCH, configured)
    decisions = [_decision(item, settings, configured) for item in due]
    await runs.decide(session, tenant, decisions, providers.gaps(tenant), now)
    # Back when the next occasion waiting is due (at once after a full batch), and at
    # least every LOOK_EVERY for the days that come without an event (expiry, win-back).
    waiting = await runs.next_waiting(session, tenant)
    again = min(now + LOOK_EVERY, waiting) if waiting else now + LOOK_EVERY
    await runs.look_again_at(session, tenant, max(again, now))
    return len(due)


def _decision(due: Due, settings: MessagingSettings, configured: frozenset[Channel]) -> Decision:
    outcome = rules.outcome(due.channel, configured)
    if outcome is not rules.Outcome.QUEUED:
        return Decision(due, outcome, None, None)
    facts = rules.Facts(
        first_name=due.first_name,
        bonus_balance=due.bonus_balance,
        expiring_amount=due.expiring_amount,
        expiring_at=due.expiring_at,
    )
    return Decision(due, outcome, uuid.uuid4(), rules.filled(due.text, facts, settings))
