"""Merging a duplicate card into the survivor: when a merge may start, what the survivor
takes from the duplicate's profile, and which services still have to move their records.

A merge cannot be undone. It is refused for one card merged into itself, for a duplicate
already merged into someone else, for a survivor that is being (or was) merged away, and
for a duplicate that is itself the survivor of a merge still under way (its records may
not have reached it everywhere yet). Asking again for a merge already made or under way
returns the survivor without doing anything twice.
"""

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from clientcard_contracts.enums import Gender
from clientcard_customers.domain.errors import Conflict, InvalidInput
from clientcard_customers.domain.records import Customer

# The services that hold records of customers and move them to the survivor.
STEPS = ("bonuses", "messaging", "receipts")


@dataclass(frozen=True, slots=True)
class Merge:
    duplicate_id: uuid.UUID
    survivor_id: uuid.UUID
    pending: tuple[str, ...]
    started_at: datetime
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class Start(Enum):
    """What a request to merge leads to."""

    NEW = "NEW"  # a merge to make now
    MADE = "MADE"  # the same merge was asked before: answer with the survivor


def pair(survivor_id: uuid.UUID, duplicate_id: uuid.UUID) -> None:
    if survivor_id == duplicate_id:
        raise InvalidInput("duplicateId", "a customer cannot be merged into itself")


def start(
    survivor_id: uuid.UUID,
    duplicate_id: uuid.UUID,
    *,
    of_duplicate: Merge | None,
    of_survivor: Merge | None,
    unfinished_into_duplicate: bool,
) -> Start:
    """Whether the merge is new or asked again, given the merges that name either card:
    `of_duplicate`/`of_survivor` merged that card away; `unfinished_into_duplicate` says
    a merge into the duplicate is still under way."""
    pair(survivor_id, duplicate_id)
    if of_duplicate is not None:
        if of_duplicate.survivor_id == survivor_id:
            return Start.MADE
        raise Conflict(
            f"customer {duplicate_id} is already merged into {of_duplicate.survivor_id}",
            reason="ALREADY_MERGED",
            survivorId=str(of_duplicate.survivor_id),
        )
    if of_survivor is not None:
        raise Conflict(
            f"customer {survivor_id} is merged into {of_survivor.survivor_id}: merge into that one",
            reason="SURVIVOR_MERGED_AWAY",
            survivorId=str(of_survivor.survivor_id),
        )
    if unfinished_into_duplicate:
        raise Conflict(
            f"customer {duplicate_id} is still taking over another card; try again shortly",
            reason="MERGE_IN_PROGRESS",
        )
    return Start.NEW


def step_done(merge: Merge, service: str, now: datetime) -> Merge | None:
    """The merge once `service` has moved its records; None when that was known already
    (a service's answer redelivered changes nothing)."""
    if service not in merge.pending:
        return None
    pending = tuple(step for step in merge.pending if step != service)
    return replace(merge, pending=pending, finished_at=None if pending else now)


def survivor_profile(survivor: Customer, duplicate: Customer) -> Customer:
    """The survivor with what it lacks taken from the duplicate: each empty field of the
    profile (e-mail, names, birth date, a gender left UNKNOWN) and the answers to
    questions it never answered. Its phone and registration stay its own."""
    kept, taken = survivor.profile, duplicate.profile
    profile = replace(
        kept,
        email=kept.email or taken.email,
        first_name=kept.first_name or taken.first_name,
        last_name=kept.last_name or taken.last_name,
        birth_date=kept.birth_date or taken.birth_date,
        gender=taken.gender if kept.gender is Gender.UNKNOWN else kept.gender,
    )
    answered = {answer.question for answer in survivor.questionnaire}
    added = tuple(a for a in duplicate.questionnaire if a.question not in answered)
    return replace(survivor, profile=profile, questionnaire=survivor.questionnaire + added)
