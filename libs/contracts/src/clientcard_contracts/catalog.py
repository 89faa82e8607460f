"""Every event type of the platform: its model, who publishes it and who consumes it."""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from clientcard_contracts.events import bonuses, customers, messaging, receipts
from clientcard_contracts.events.base import Event


class UnknownEventType(LookupError):
    def __init__(self, event_type: str) -> None:
        super().__init__(f"{event_type!r} is not in the event catalog")
        self.event_type = event_type


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    model: type[Event]
    consumers: tuple[str, ...]

    @property
    def type(self) -> str:
        return self.model.TYPE

    @property
    def topic(self) -> str:
        return self.model.TOPIC

    @property
    def producer(self) -> str:
        # Types are named "<producing service>.<event>.v<n>".
        return self.model.TYPE.split(".", 1)[0]


ENTRIES: tuple[CatalogEntry, ...] = (
    CatalogEntry(customers.CustomerRegistered, ("bonuses", "messaging", "receipts")),
    CatalogEntry(customers.CustomerUpdated, ("bonuses", "messaging", "receipts")),
    CatalogEntry(customers.CustomerDeleted, ("bonuses", "messaging", "receipts")),
    CatalogEntry(customers.CustomerSegmentsChanged, ("messaging",)),
    CatalogEntry(customers.BonusAccrualRequested, ("bonuses",)),
    CatalogEntry(customers.CustomerMerged, ("bonuses", "messaging", "receipts")),
    CatalogEntry(receipts.ReceiptsMergeApplied, ("customers",)),
    CatalogEntry(bonuses.BonusesMergeApplied, ("customers",)),
    CatalogEntry(messaging.MessagingMergeApplied, ("customers",)),
    CatalogEntry(receipts.ReceiptRegistered, ("bonuses", "customers", "messaging")),
    CatalogEntry(bonuses.BonusTransactionRecorded, ("customers", "messaging")),
    CatalogEntry(bonuses.ReceiptBonusesApplied, ()),
    CatalogEntry(bonuses.BonusReservationChanged, ()),
    CatalogEntry(bonuses.BonusTierChanged, ("customers",)),
    CatalogEntry(messaging.MessengerSubscribed, ("customers",)),
    CatalogEntry(messaging.MessengerUnsubscribed, ("customers",)),
    CatalogEntry(messaging.MessengerDefaultChanged, ("customers",)),
    CatalogEntry(messaging.MessageDelivered, ()),
    CatalogEntry(messaging.NpsSubmitted, ("customers",)),
)

EVENT_TYPES: Mapping[str, type[Event]] = MappingProxyType(
    {entry.type: entry.model for entry in ENTRIES}
)

CATALOG: Mapping[str, CatalogEntry] = MappingProxyType({entry.type: entry for entry in ENTRIES})


def consumed_by(service: str) -> tuple[str, ...]:
    """The event types a service consumes, e.g. for `catalog_decoder(consumed_by("bonuses"))`."""
    return tuple(entry.type for entry in ENTRIES if service in entry.consumers)


def published_by(service: str) -> tuple[str, ...]:
    return tuple(entry.type for entry in ENTRIES if entry.producer == service)


def parse_event(event_type: str, data: bytes | str | Mapping[str, Any]) -> Event:
    """The event of the given type from its CloudEvent data (JSON text or already parsed).

    Raises UnknownEventType, or pydantic's ValidationError when the data does not match.
    """
    model = EVENT_TYPES.get(event_type)
    if model is None:
        raise UnknownEventType(event_type)
    if isinstance(data, bytes | str):
        return model.model_validate_json(data)
    return model.model_validate(dict(data))
