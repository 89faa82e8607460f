"""Events of the customers service, on topic `customers.v1`.

Profile events carry the whole current profile rather than what changed, so a consumer's
projection is a plain overwrite, and `version` (the customer's version at the customers
service, one more with every change of the profile or the segments) tells it whether
what it holds is newer.
"""

import uuid
from datetime import date
from typing import ClassVar

from pydantic import AwareDatetime, Field

from clientcard_contracts import topics
from clientcard_contracts.enums import Channel, Gender, RegistrationSource
from clientcard_contracts.events.base import CustomerEvent, EventPart
from clientcard_contracts.money import PositiveMoney
from clientcard_contracts.phone import E164Phone

VERSION = Field(ge=1, description="The customer's version after this change; it only grows.")


class Registration(EventPart):
    registered_at: AwareDatetime
    source: RegistrationSource
    channel: Channel | None = Field(
        default=None, description="The messenger the customer registered through."
    )
    outlet_id: str | None = Field(
        default=None, max_length=64, description="The point of sale where they registered."
    )


class QuestionnaireAnswer(EventPart):
    question: str = Field(min_length=1, max_length=200)
    answer: str = Field(max_length=1000)


class SegmentRef(EventPart):
    id: uuid.UUID
    name: str = Field(min_length=1)


class _ProfileEvent(CustomerEvent):
    """The personal data of a customer as it is after the change."""

    TOPIC: ClassVar[str] = topics.CUSTOMERS

    version: int = VERSION
    phone: E164Phone
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    birth_date: date | None = None
    gender: Gender

    def subject(self) -> str:
        return str(self.customer_id)


class CustomerRegistered(_ProfileEvent):
    """A customer was registered: the whole profile, registration record and questionnaire.

    Bonuses grants the welcome bonus; receipts and messaging learn the phone, and receipts
    links the receipts that named this phone before the customer existed.
    """

    TYPE: ClassVar[str] = "customers.customer.registered.v1"

    registration: Registration
    questionnaire: tuple[QuestionnaireAnswer, ...] = ()


class CustomerUpdated(_ProfileEvent):
    """A customer's profile changed; the body is the whole profile after the change.

    The phone may be a new one (receipts then find the customer by it, and no longer by
    the old one). `questionnaire` came later and is optional: an event without it says
    nothing about the answers.
    """

    TYPE: ClassVar[str] = "customers.customer.updated.v1"

    questionnaire: tuple[QuestionnaireAnswer, ...] | None = None


class CustomerDeleted(CustomerEvent):
    """A customer was erased: every service removes or anonymises what it holds on them.

    It carries no personal data, since the topic keeps it long after the erasure.
    """

    TYPE: ClassVar[str] = "customers.customer.deleted.v1"
    TOPIC: ClassVar[str] = topics.CUSTOMERS

    def subject(self) -> str:
        return str(self.customer_id)


class CustomerSegmentsChanged(CustomerEvent):
    """The customer's manual segments changed (assigned, unassigned, renamed or deleted).

    The body lists every segment the customer is in now, so messaging's audience of a
    broadcast is the set of customers whose latest list names the segment.
    """

    TYPE: ClassVar[str] = "customers.customer.segments.changed.v1"
    TOPIC: ClassVar[str] = topics.CUSTOMERS

    version: int = VERSION
    segments: tuple[SegmentRef, ...]

    def subject(self) -> str:
        return str(self.customer_id)


class CustomerMerged(CustomerEvent):
    """A duplicate card (`customerId`) is being merged into the survivor; cannot be undone.

    Keyed by the duplicate, so every service reads it after all the duplicate's earlier
    events. Each service moves the duplicate's records to the survivor, once, and answers
    with its `CustomerMergeApplied`; once all have, the duplicate is erased
    (`CustomerDeleted`), which drops whatever reached a service after its move.
    """

    TYPE: ClassVar[str] = "customers.customer.merged.v1"
    TOPIC: ClassVar[str] = topics.CUSTOMERS

    survivor_id: uuid.UUID = Field(description="The customer that keeps everything.")

    def subject(self) -> str:
        return str(self.customer_id)


class BonusAccrualRequested(CustomerEvent):
    """A job (`accrueBonusesByFilter`) asks bonuses to accrue to one of its customers.

    Bonuses applies it as a MANUAL accrual with the job's comment and author, once per
    job and customer however often it arrives, and names the job (`jobId`) in the
    `bonus.transaction.recorded` it publishes, by which customers counts the job's progress.
    """

    TYPE: ClassVar[str] = "customers.bonus.accrual.requested.v1"
    TOPIC: ClassVar[str] = topics.CUSTOMERS

    job_id: uuid.UUID
    amount: PositiveMoney
    comment: str | None = Field(default=None, max_length=500)
    author: str = Field(min_length=1, description="Who started the job.")
    expires_at: AwareDatetime | None = Field(
        default=None, description="When the accrued lot burns; null: as the program says."
    )

    def subject(self) -> str:
        return f"{self.job_id}/{self.customer_id}"
