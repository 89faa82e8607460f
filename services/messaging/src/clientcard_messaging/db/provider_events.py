"""Provider webhook calls already handled, by the provider's own event id.

VK resends a Callback API event it did not get `ok` for in time, with the same
`event_id`. The ids go into the inbox every consumer uses (its pruning job forgets them
after `INBOX_RETENTION_DAYS`, far past any resend), recorded in the transaction of the
event's effects, so a resent event changes nothing.
"""

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_kit.events.tables import InboxEntry


async def first_time(session: AsyncSession, source: str, event_id: str, event_type: str) -> bool:
    """Record the event as handled; False when it already was."""
    recorded = await session.scalar(
        insert(InboxEntry)
        .values(consumer=source, event_id=event_id, event_type=event_type)
        .on_conflict_do_nothing()
        .returning(InboxEntry.event_id)
    )
    return recorded is not None
