"""What merchants do to customers: each function one change, committed with its events."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from clientcard_customers.commands import publishing
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain import notes as note_rules
from clientcard_customers.domain import segments as segment_rules
from clientcard_customers.domain.errors import Conflict, NotFound
from clientcard_customers.domain.profile import NewCustomer, ProfileChanges
from clientcard_customers.domain.records import Customer, Note, Segment


def _now() -> datetime:
    return datetime.now(UTC)


async def register_customer(uow: CustomersUnitOfWork, new: NewCustomer) -> Customer:
    customer_id = uuid.uuid4()
    if not await uow.customers.add(customer_id, new, _now()):
        existing = await uow.customers.by_phone(new.phone)
        raise Conflict(
            f"a customer with phone {new.phone} is already registered",
            existingCustomerId=str(existing.id) if existing else None,
        )
    customer = await _customer(uow, customer_id)
    uow.publish(publishing.customer_registered(customer))
    await uow.commit()
    return customer


async def update_customer(
    uow: CustomersUnitOfWork, customer_id: uuid.UUID, changes: ProfileChanges
) -> Customer:
    current = await _customer(uow, customer_id, for_update=True)
    profile = changes.applied_to(current.profile)
    if profile == current.profile:
        return current
    now = _now()
    version = await uow.customers.save_profile(current, profile, now)
    customer = replace(current, profile=profile, version=version, updated_at=now)
    uow.publish(publishing.customer_updated(customer))
    await uow.commit()
    return customer


async def erase_customer(uow: CustomersUnitOfWork, customer_id: uuid.UUID) -> bool:
    """Erase the customer's personal data here and ask every service to erase theirs."""
    if not await uow.customers.remove(customer_id):
        raise NotFound(f"no customer {customer_id}")
    uow.publish(publishing.customer_deleted(uow.tenant, customer_id))
    await uow.commit()
    return True


async def create_segment(uow: CustomersUnitOfWork, name: str) -> Segment:
    segment = Segment(id=uuid.uuid4(), name=segment_rules.segment_name(name), created_at=_now())
    if not await uow.segments.add(segment):
        raise Conflict(f"a segment named {segment.name!r} exists already")
    await uow.commit()
    return segment


async def rename_segment(uow: CustomersUnitOfWork, segment_id: uuid.UUID, name: str) -> Segment:
    segment = await _segment(uow, segment_id)
    renamed = replace(segment, name=segment_rules.segment_name(name))
    if not await uow.segments.rename(segment_id, renamed.name):
        raise Conflict(f"a segment named {renamed.name!r} exists already")
    # Members' segment lists carry names, so each member's list is announced again.
    await _announce_segments(uow, await uow.segments.members(segment_id))
    await uow.commit()
    return renamed


async def delete_segment(uow: CustomersUnitOfWork, segment_id: uuid.UUID) -> bool:
    await _segment(uow, segment_id)
    await _announce_segments(uow, await uow.segments.remove(segment_id))
    await uow.commit()
    return True


async def assign_segments(
    uow: CustomersUnitOfWork, customer_id: uuid.UUID, segment_ids: list[uuid.UUID]
) -> Customer:
    customer = await _customer(uow, customer_id, for_update=True)
    await _known_segments(uow, segment_ids)
    await uow.segments.assign(customer_id, segment_ids, _now())
    await _announce_segments(uow, [customer_id])
    await uow.commit()
    return customer


async def unassign_segments(
    uow: CustomersUnitOfWork, customer_id: uuid.UUID, segment_ids: list[uuid.UUID]
) -> Customer:
    customer = await _customer(uow, customer_id, for_update=True)
    await _known_segments(uow, segment_ids)
    await uow.segments.unassign(customer_id, segment_ids)
    await _announce_segments(uow, [customer_id])
    await uow.commit()
    return customer


async def add_note(
    uow: CustomersUnitOfWork, customer_id: uuid.UUID, text: str, author: str
) -> Note:
    await _customer(uow, customer_id)
    now = _now()
    note = Note(uuid.uuid4(), customer_id, note_rules.note_text(text), author, now, now)
    await uow.notes.add(note)
    await uow.commit()
    return note


async def update_note(uow: CustomersUnitOfWork, note_id: uuid.UUID, text: str) -> Note:
    note = await uow.notes.change_text(note_id, note_rules.note_text(text), _now())
    if note is None:
        raise NotFound(f"no note {note_id}")
    await uow.commit()
    return note


async def delete_note(uow: CustomersUnitOfWork, note_id: uuid.UUID) -> bool:
    if not await uow.notes.remove(note_id):
        raise NotFound(f"no note {note_id}")
    await uow.commit()
    return True


async def _customer(
    uow: CustomersUnitOfWork, customer_id: uuid.UUID, *, for_update: bool = False
) -> Customer:
    customer = await uow.customers.get(customer_id, for_update=for_update)
    if customer is None:
        raise NotFound(f"no customer {customer_id}")
    return customer


async def _segment(uow: CustomersUnitOfWork, segment_id: uuid.UUID) -> Segment:
    found = await uow.segments.get_many([segment_id])
    if segment_id not in found:
        raise NotFound(f"no segment {segment_id}")
    return found[segment_id]


async def _known_segments(uow: CustomersUnitOfWork, segment_ids: list[uuid.UUID]) -> None:
    found = await uow.segments.get_many(segment_ids)
    unknown = [str(segment_id) for segment_id in segment_ids if segment_id not in found]
    if unknown:
        raise NotFound(f"unknown segment(s): {', '.join(unknown)}", segmentIds=unknown)


async def _announce_segments(uow: CustomersUnitOfWork, customer_ids: list[uuid.UUID]) -> None:
    """Publish each customer's current segment list; two queries however many customers."""
    if not customer_ids:
        return
    current = await uow.segments.of_customers(customer_ids)
    versions = await uow.customers.next_versions(customer_ids)
    for customer_id, version in versions.items():
        segments = current.get(customer_id, [])
        uow.publish(publishing.segments_changed(uow.tenant, customer_id, version, segments))
