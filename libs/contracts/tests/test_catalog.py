import re
from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from clientcard_contracts import topics
from clientcard_contracts.catalog import (
    CATALOG,
    EVENT_TYPES,
    UnknownEventType,
    consumed_by,
    parse_event,
    published_by,
)
from clientcard_contracts.events import base, bonuses, customers, messaging, receipts
from clientcard_contracts.events.base import Event

from . import samples

NAMED_BY_THE_DESIGN = {
    "customers.customer.registered.v1",
    "customers.customer.updated.v1",
    "customers.customer.deleted.v1",
    "customers.customer.segments.changed.v1",
    "receipts.receipt.registered.v1",
    "bonuses.bonus.transaction.recorded.v1",
    "bonuses.receipt.bonuses.applied.v1",
    "messaging.messenger.subscribed.v1",
    "messaging.messenger.unsubscribed.v1",
    "messaging.messenger.default.changed.v1",
    "messaging.message.delivered.v1",
    "messaging.nps.submitted.v1",
    # Second stage: the till's reservations.
    "bonuses.reservation.changed.v1",
    # Merging duplicate cards: the request and each service's answer.
    "customers.customer.merged.v1",
    "receipts.customer.merge.applied.v1",
    "bonuses.customer.merge.applied.v1",
    "messaging.customer.merge.applied.v1",
    # Acting on a list: a job's accrual asked of bonuses.
    "customers.bonus.accrual.requested.v1",
    # The loyalty program's tiers.
    "bonuses.tier.changed.v1",
}


def event_classes() -> Iterator[type[Event]]:
    pending: list[type[Event]] = [Event]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "TYPE" in vars(cls) and cls.__module__.startswith("clientcard_contracts."):
            yield cls


def test_the_catalog_holds_every_event_the_design_names_and_no_other() -> None:
    assert set(EVENT_TYPES) == NAMED_BY_THE_DESIGN


def test_every_event_model_of_the_package_is_in_the_catalog() -> None:
    modules = {customers.__name__, receipts.__name__, bonuses.__name__, messaging.__name__}
    defined = {cls for cls in event_classes() if cls.__module__ in modules}
    assert defined == set(EVENT_TYPES.values())
    assert base.__name__ not in {cls.__module__ for cls in defined}


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_every_entry_is_typed_topical_and_keyed(event_type: str) -> None:
    model = EVENT_TYPES[event_type]
    producer, _, _ = event_type.partition(".")
    assert event_type == model.TYPE
    assert re.fullmatch(r"[a-z]+(\.[a-z]+)+\.v[0-9]+", event_type)
    assert producer in topics.SERVICES
    assert f"{producer}.v1" == model.TOPIC
    assert model.TOPIC in {spec.name for spec in topics.TOPICS}
    assert "customer_id" in model.model_fields, "events are keyed by the customer id"
    assert "occurred_at" in model.model_fields
    assert model.__doc__, "the docstring is the event's meaning in the published documents"
    assert CATALOG[event_type].producer == producer
    assert producer not in CATALOG[event_type].consumers


def test_every_event_type_has_a_sample() -> None:
    assert {event.TYPE for event in samples.EVENTS} == set(EVENT_TYPES)


def test_parse_event_refuses_unknown_types_and_bad_bodies() -> None:
    with pytest.raises(UnknownEventType) as raised:
        parse_event("customers.customer.teleported.v1", "{}")
    assert raised.value.event_type == "customers.customer.teleported.v1"
    with pytest.raises(ValidationError):
        parse_event("customers.customer.deleted.v1", b'{"tenantId": "t"}')
    with pytest.raises(ValidationError):
        parse_event("customers.customer.deleted.v1", b"not json")


def test_who_consumes_what() -> None:
    assert set(consumed_by("customers")) == {
        "receipts.receipt.registered.v1",
        "bonuses.bonus.transaction.recorded.v1",
        "messaging.messenger.subscribed.v1",
        "messaging.messenger.unsubscribed.v1",
        "messaging.messenger.default.changed.v1",
        "messaging.nps.submitted.v1",
        "receipts.customer.merge.applied.v1",
        "bonuses.customer.merge.applied.v1",
        "messaging.customer.merge.applied.v1",
        "bonuses.tier.changed.v1",
    }
    assert "customers.customer.registered.v1" in consumed_by("bonuses")
    assert "customers.bonus.accrual.requested.v1" in consumed_by("bonuses")
    assert "customers.customer.segments.changed.v1" in consumed_by("messaging")
    assert "customers.customer.deleted.v1" in consumed_by("receipts")
    assert published_by("receipts") == (
        "receipts.customer.merge.applied.v1",
        "receipts.receipt.registered.v1",
    )


def test_the_catalog_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(TypeError):
        EVENT_TYPES["x"] = Event  # type: ignore[index]
