from clientcard_kit.unit_of_work import UnitOfWork
from clientcard_messaging.db.automations import AutomationRepository
from clientcard_messaging.db.broadcasts import BroadcastRepository
from clientcard_messaging.db.directory import CustomerDirectory
from clientcard_messaging.db.merging import MessagingMerges
from clientcard_messaging.db.messages import MessageRepository
from clientcard_messaging.db.nps import NpsRepository
from clientcard_messaging.db.subscriptions import SubscriptionRepository

SOURCE = "/clientcard/messaging"


class MessagingUnitOfWork(UnitOfWork):
    """Events are written in one statement at commit: a send batch announces hundreds."""

    customers: CustomerDirectory
    subscriptions: SubscriptionRepository
    messages: MessageRepository
    broadcasts: BroadcastRepository
    nps: NpsRepository
    merging: MessagingMerges
    automations: AutomationRepository
