"""Keeping the read model of the figures other services own (purchases, bonus balance,
messengers, the last NPS answer), from their events: a change older than the one held
for the same group never wins, so redeliveries and reordering change nothing. Dynamic
segments follow the figures in the same transaction."""

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_customers.commands.segments import keep_members
from clientcard_customers.db.figures import FigureGroup, FigureUpdate
from clientcard_customers.db.unit_of_work import SOURCE, CustomersUnitOfWork


async def keep_figures(
    session: AsyncSession,
    tenant: str,
    group: FigureGroup,
    updates: Sequence[FigureUpdate],
    bought: Sequence[tuple[uuid.UUID, str]] = (),
) -> None:
    """Apply a batch of one group's figures in the consumer's transaction, with the
    outlets its sales were at."""
    async with CustomersUnitOfWork.joining(session, tenant=tenant, source=SOURCE) as uow:
        if len(updates) == 1:
            customer_id, values, stamp = updates[0]
            await uow.figures.apply(customer_id, group, values, stamp)
        else:
            await uow.figures.apply_many(group, updates)
        await uow.figures.add_outlets(bought)
        await keep_members(uow, [update[0] for update in updates])
