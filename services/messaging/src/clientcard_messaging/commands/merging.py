"""A merge of two customers, the messaging service's part: the conversation, NPS answers
and the messengers the survivor lacks become the survivor's, once, in one transaction,
answered by `merge.applied` with the survivor's messengers and last answer."""

import uuid

from clientcard_messaging.commands import publishing
from clientcard_messaging.commands.conversation import locked_subscriptions
from clientcard_messaging.db.unit_of_work import MessagingUnitOfWork
from clientcard_messaging.domain.merging import merged_subscriptions, merged_version


async def merge_customer(
    uow: MessagingUnitOfWork, duplicate_id: uuid.UUID, survivor_id: uuid.UUID
) -> None:
    # Both cards' messengers locked in id order, as a sender would take them one at a time.
    first, second = sorted((survivor_id, duplicate_id))
    locked = {first: await locked_subscriptions(uow, first)}
    locked[second] = await locked_subscriptions(uow, second)
    (survivor_version, kept), (duplicate_version, taken) = locked[survivor_id], locked[duplicate_id]
    merged = merged_subscriptions(kept, taken)
    version = survivor_version
    if taken:
        version = merged_version(survivor_version, duplicate_version)
        await uow.merging.drop_subscriptions(duplicate_id)
        await uow.subscriptions.save(survivor_id, merged)
        await uow.customers.set_messengers_version(survivor_id, version)
    await uow.merging.move_conversation(duplicate_id, survivor_id)
    last = await uow.merging.last_answer(survivor_id)
    picture = publishing.messengers(version, merged) if merged else None
    uow.publish(publishing.merge_applied(uow.tenant, survivor_id, duplicate_id, picture, last))
    await uow.commit()
