"""Keeping the read model of the figures other services own (purchases, bonus balance,
messengers, the last NPS answer), from their events: a change older than the one held
for the same group never wins, so redeliveries and reordering change nothing."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_customers.db.figures import FigureGroup, FiguresRepository, FigureUpdate


async def keep_figures(
    session: AsyncSession, tenant: str, group: FigureGroup, updates: Sequence[FigureUpdate]
) -> None:
    """Apply a batch of one group's figures in the consumer's transaction."""
    if len(updates) == 1:
        customer_id, values, stamp = updates[0]
        await FiguresRepository(session, tenant).apply(customer_id, group, values, stamp)
    else:
        await FiguresRepository(session, tenant).apply_many(group, updates)
