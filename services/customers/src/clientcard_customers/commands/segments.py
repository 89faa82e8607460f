"""What merchants do to segments, and how a dynamic segment keeps exactly its members.

A manual segment holds whom staff put in it. A dynamic one holds the customers its filter
matches: created with them, and brought up to date (`keep_members`) by every change that
can move a customer in or out (registration, a profile edit, a manual segment, figures
from other services' events) and by a periodic re-check for what the clock moves
(birthdays). Each customer whose segments change is announced, as for manual segments.
"""

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from clientcard_customers.commands import publishing
from clientcard_customers.commands.existing import existing_customer
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain import segments as segment_rules
from clientcard_customers.domain.client_list import ClientFilter
from clientcard_customers.domain.errors import Conflict, InvalidInput, NotFound
from clientcard_customers.domain.records import Customer, Segment

# Customers announced per pair of queries: a new broad segment can move a whole tenant.
ANNOUNCED_AT_ONCE = 5_000


async def create_segment(
    uow: CustomersUnitOfWork, name: str, client_filter: ClientFilter | None = None
) -> Segment:
    if client_filter is not None:
        await _names_manual_segments_only(uow, client_filter)
    segment = Segment(
        id=uuid.uuid4(),
        name=segment_rules.segment_name(name),
        created_at=datetime.now(UTC),
        filter=client_filter,
    )
    if not await uow.segments.add(segment):
        raise Conflict(f"a segment named {segment.name!r} exists already")
    if segment.dynamic:
        await _refresh(uow, [segment], among=None)
    await uow.commit()
    return segment


async def rename_segment(uow: CustomersUnitOfWork, segment_id: uuid.UUID, name: str) -> Segment:
    segment = await _segment(uow, segment_id)
    renamed = replace(segment, name=segment_rules.segment_name(name))
    if not await uow.segments.rename(segment_id, renamed.name):
        raise Conflict(f"a segment named {renamed.name!r} exists already")
    # Members' segment lists carry names, so each member's list is announced again.
    await announce_segments(uow, await uow.segments.members(segment_id))
    await uow.commit()
    return renamed


async def delete_segment(uow: CustomersUnitOfWork, segment_id: uuid.UUID) -> bool:
    await _segment(uow, segment_id)
    await announce_segments(uow, await uow.segments.remove(segment_id))
    # A dynamic filter that named it now names no segment.
    await keep_members(uow, among=None)
    await uow.commit()
    return True


async def assign_segments(
    uow: CustomersUnitOfWork, customer_id: uuid.UUID, segment_ids: list[uuid.UUID]
) -> Customer:
    return await _change_manual(uow, customer_id, segment_ids, join=True)


async def unassign_segments(
    uow: CustomersUnitOfWork, customer_id: uuid.UUID, segment_ids: list[uuid.UUID]
) -> Customer:
    return await _change_manual(uow, customer_id, segment_ids, join=False)


async def _change_manual(
    uow: CustomersUnitOfWork, customer_id: uuid.UUID, segment_ids: list[uuid.UUID], *, join: bool
) -> Customer:
    customer = await existing_customer(uow, customer_id, for_update=True)
    await _manual_segments(uow, segment_ids)
    if join:
        await uow.segments.assign(customer_id, segment_ids, datetime.now(UTC))
    else:
        await uow.segments.unassign(customer_id, segment_ids)
    await announce_segments(uow, [customer_id])
    # A dynamic segment's filter may name the manual ones.
    await keep_members(uow, [customer_id])
    await uow.commit()
    return customer


async def keep_members(uow: CustomersUnitOfWork, among: Sequence[uuid.UUID] | None) -> None:
    """Make every dynamic segment of the tenant hold exactly the customers its filter
    matches, among these customers (None: all of the tenant's)."""
    if among is not None and not among:
        return
    await _refresh(uow, await uow.segments.dynamic(), among)


async def recheck_dynamic_segments(uow: CustomersUnitOfWork) -> None:
    """Bring every dynamic segment of the tenant up to date with its filter today."""
    await keep_members(uow, among=None)
    await uow.commit()


async def announce_segments(uow: CustomersUnitOfWork, customer_ids: Sequence[uuid.UUID]) -> None:
    """Publish each customer's current segment list; two queries per thousands."""
    ordered = sorted(set(customer_ids))
    for start in range(0, len(ordered), ANNOUNCED_AT_ONCE):
        chunk = ordered[start : start + ANNOUNCED_AT_ONCE]
        current = await uow.segments.of_customers(chunk)
        versions = await uow.customers.next_versions(chunk)
        for customer_id, version in versions.items():
            segments = current.get(customer_id, [])
            uow.publish(publishing.segments_changed(uow.tenant, customer_id, version, segments))


async def _refresh(
    uow: CustomersUnitOfWork, dynamic: Sequence[Segment], among: Sequence[uuid.UUID] | None
) -> None:
    now = datetime.now(UTC)
    changed: set[uuid.UUID] = set()
    for segment in dynamic:
        changed |= await uow.memberships.refresh(segment, now.date(), among, now)
    await announce_segments(uow, list(changed))


async def _segment(uow: CustomersUnitOfWork, segment_id: uuid.UUID) -> Segment:
    found = await uow.segments.get_many([segment_id])
    if segment_id not in found:
        raise NotFound(f"no segment {segment_id}")
    return found[segment_id]


async def _manual_segments(uow: CustomersUnitOfWork, segment_ids: list[uuid.UUID]) -> None:
    found = await uow.segments.get_many(segment_ids)
    unknown = [str(segment_id) for segment_id in segment_ids if segment_id not in found]
    if unknown:
        raise NotFound(f"unknown segment(s): {', '.join(unknown)}", segmentIds=unknown)
    dynamic = [segment.name for segment in found.values() if segment.dynamic]
    if dynamic:
        raise InvalidInput(
            "segmentIds", f"{', '.join(dynamic)}: a dynamic segment's members follow its filter"
        )


async def _names_manual_segments_only(uow: CustomersUnitOfWork, wanted: ClientFilter) -> None:
    named = [*(wanted.segment_ids or ()), *(wanted.not_in_segment_ids or ())]
    found = await uow.segments.get_many(named)
    unknown = sorted({str(segment_id) for segment_id in named if segment_id not in found})
    if unknown:
        raise InvalidInput("filter.segmentIds", f"unknown segment(s): {', '.join(unknown)}")
    if any(segment.dynamic for segment in found.values()):
        raise InvalidInput("filter.segmentIds", "a dynamic segment's filter names manual ones only")
