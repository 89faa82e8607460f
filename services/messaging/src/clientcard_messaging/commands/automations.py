"""Messages that send themselves: merchants set up automations and messaging settings;
events note the occasions automations write on. The runs that send are in
`commands.automation_runs`."""

import uuid
from datetime import datetime

from clientcard_contracts.enums import AutomationKind
from clientcard_messaging.db.unit_of_work import MessagingUnitOfWork
from clientcard_messaging.domain import automations as rules
from clientcard_messaging.domain import quiet_hours
from clientcard_messaging.domain.automations import Automation


async def every_automation(uow: MessagingUnitOfWork) -> list[Automation]:
    """Every kind, set up or not, in the contract's order."""
    saved = await uow.automations.all()
    return [saved.get(kind) or rules.untouched(kind) for kind in AutomationKind]


async def update_automation(
    uow: MessagingUnitOfWork, automation: Automation, now: datetime
) -> Automation:
    await uow.automations.save(automation, now)
    if automation.enabled:
        # The run looks for customers whose day has come (win-back, expiry) from now on.
        await uow.automations.look_at_tenant(now)
    else:
        await uow.automations.cancel_waiting(automation.kind, now)
    await uow.commit()
    return automation


async def update_messaging_settings(
    uow: MessagingUnitOfWork,
    *,
    time_zone: str | None,
    hours: tuple[int | None, int | None] | None,
) -> quiet_hours.MessagingSettings:
    """Change what was given (None: kept); `hours` is (start, end), both None for none."""
    current = await uow.automations.settings()
    changed = quiet_hours.changed(current, time_zone=time_zone, quiet_hours=hours)
    await uow.automations.save_settings(changed)
    await uow.commit()
    return changed


async def note_occasion(
    uow: MessagingUnitOfWork,
    kind: AutomationKind,
    customer_id: uuid.UUID,
    occasion: str,
    happened_at: datetime,
) -> bool:
    """An event brought an occasion: written on `delay_days` after it, if the automation
    is on now (turning one on does not write on what happened before)."""
    automation = await uow.automations.enabled(kind)
    if automation is None:
        return False
    due_at = happened_at + automation.delay
    return await uow.automations.add_occasion(kind, customer_id, occasion, due_at)
