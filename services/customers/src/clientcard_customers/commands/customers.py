"""What merchants do to customers: each function one change, committed with its events."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from clientcard_customers.commands import publishing
from clientcard_customers.commands.existing import existing_customer
from clientcard_customers.commands.segments import keep_members
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain import notes as note_rules
from clientcard_customers.domain.errors import Conflict, NotFound
from clientcard_customers.domain.profile import NewCustomer, ProfileChanges
from clientcard_customers.domain.records import Customer, Note


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
    customer = await existing_customer(uow, customer_id)
    uow.publish(publishing.customer_registered(customer))
    await keep_members(uow, [customer_id])
    await uow.commit()
    return customer


async def update_customer(
    uow: CustomersUnitOfWork, customer_id: uuid.UUID, changes: ProfileChanges
) -> Customer:
    current = await existing_customer(uow, customer_id, for_update=True)
    changed = replace(
        current,
        profile=changes.applied_to(current.profile),
        phone=changes.phone or current.phone,
        questionnaire=current.questionnaire
        if changes.questionnaire is None
        else changes.questionnaire,
    )
    if changed == current:
        return current
    if changed.phone != current.phone:
        await _phone_free(uow, changed.phone)
    now = _now()
    version = await uow.customers.save_profile(changed, now)
    if version is None:  # taken between the check and the write
        await _phone_free(uow, changed.phone)
        raise Conflict(f"a customer with phone {changed.phone} is already registered")
    customer = replace(changed, version=version, updated_at=now)
    uow.publish(publishing.customer_updated(customer))
    await keep_members(uow, [customer_id])
    await uow.commit()
    return customer


async def _phone_free(uow: CustomersUnitOfWork, phone: str) -> None:
    existing = await uow.customers.by_phone(phone)
    if existing is not None:
        raise Conflict(
            f"a customer with phone {phone} is already registered",
            existingCustomerId=str(existing.id),
        )


async def erase_customer(uow: CustomersUnitOfWork, customer_id: uuid.UUID) -> bool:
    """Erase the customer's personal data here and ask every service to erase theirs."""
    if not await uow.customers.remove(customer_id):
        raise NotFound(f"no customer {customer_id}")
    uow.publish(publishing.customer_deleted(uow.tenant, customer_id))
    await uow.commit()
    return True


async def add_note(
    uow: CustomersUnitOfWork, customer_id: uuid.UUID, text: str, author: str
) -> Note:
    await existing_customer(uow, customer_id)
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
