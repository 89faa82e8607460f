"""The customers part of the contract's types, built from the service's records."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum

import strawberry

from clientcard_contracts.enums import Channel, MessengerStatus
from clientcard_customers.domain import records, segment_filters
from clientcard_customers.entrypoints.graphql import loaders
from clientcard_customers.entrypoints.graphql.context import Info
from clientcard_kit.errors import NotFound
from clientcard_kit.graphql import Connection, page_request
from clientcard_kit.graphql.enums import (
    ChannelType,
    GenderType,
    MessengerStatusType,
    RegistrationSourceType,
)
from clientcard_kit.graphql.ids import reference_id
from clientcard_kit.graphql.records import from_record

NOTES_PAGE = 20


@strawberry.type
class Registration:
    registered_at: datetime
    source: RegistrationSourceType  # type: ignore[valid-type]
    channel: ChannelType | None  # type: ignore[valid-type]
    outlet_id: strawberry.ID | None


@strawberry.type
class QuestionnaireAnswer:
    question: str
    answer: str


@strawberry.enum
class SegmentKind(Enum):
    """MANUAL: whom staff put in it; DYNAMIC: exactly the customers its filter matches."""

    MANUAL = "MANUAL"
    DYNAMIC = "DYNAMIC"


@strawberry.federation.type(keys=["id"])
class Segment:
    id: strawberry.ID
    name: str
    record: strawberry.Private[records.Segment]

    @strawberry.field
    async def customers_count(self, info: Info) -> int:
        return await loaders.segment_sizes(info).load(uuid.UUID(str(self.id)))

    @strawberry.field
    def kind(self) -> SegmentKind:
        return SegmentKind.DYNAMIC if self.record.dynamic else SegmentKind.MANUAL

    @strawberry.field
    def filter(self) -> str | None:
        """A dynamic segment's filter: the CustomerFilter as JSON; null for a manual one."""
        found = self.record.filter
        return None if found is None else segment_filters.to_text(found)

    @classmethod
    def of(cls, segment: records.Segment) -> "Segment":
        return cls(id=strawberry.ID(str(segment.id)), name=segment.name, record=segment)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Segment | None":
        found = await loaders.segments(info).load(uuid.UUID(str(id)))
        return cls.of(found) if found else None


@strawberry.type
class Note:
    id: strawberry.ID
    text: str
    author: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, note: records.Note) -> "Note":
        return from_record(cls, note, id=strawberry.ID(str(note.id)))


@strawberry.type
class CustomerSummary:
    purchases: int
    revenue: Decimal
    average_check: Decimal
    last_purchase_at: datetime | None
    bonus_balance: Decimal
    messenger_status: MessengerStatusType | None  # type: ignore[valid-type]
    default_channel: ChannelType | None  # type: ignore[valid-type]
    last_nps_score: int | None
    bonuses_expiring_at: datetime | None = strawberry.field(
        description="When the next of the customer's bonuses burn; null when none will."
    )
    tier_id: strawberry.ID | None = strawberry.field(
        description="The loyalty tier the customer is in; null when in none."
    )


@strawberry.federation.type(keys=["id"])
class Customer:
    id: strawberry.ID
    record: strawberry.Private[records.Customer]

    @classmethod
    def of(cls, customer: records.Customer) -> "Customer":
        return cls(id=strawberry.ID(str(customer.id)), record=customer)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Customer | None":
        key = reference_id(id)
        if key is None:
            raise NotFound(f"no customer {id}")
        found = await loaders.customers(info).load(key)
        return cls.of(found) if found else None

    @strawberry.field
    def phone(self) -> str | None:
        return self.record.phone

    @strawberry.field
    def email(self) -> str | None:
        return self.record.profile.email

    @strawberry.field
    def first_name(self) -> str | None:
        return self.record.profile.first_name

    @strawberry.field
    def last_name(self) -> str | None:
        return self.record.profile.last_name

    @strawberry.field
    def birth_date(self) -> date | None:
        return self.record.profile.birth_date

    @strawberry.field
    def gender(self) -> GenderType:  # type: ignore[valid-type]
        return self.record.profile.gender

    @strawberry.field
    def registration(self) -> Registration:
        registration = self.record.registration
        return Registration(
            registered_at=registration.registered_at.astimezone(UTC),
            source=registration.source,
            channel=registration.channel,
            outlet_id=strawberry.ID(registration.outlet_id) if registration.outlet_id else None,
        )

    @strawberry.field
    def questionnaire(self) -> list[QuestionnaireAnswer]:
        return [
            QuestionnaireAnswer(question=a.question, answer=a.answer)
            for a in self.record.questionnaire
        ]

    @strawberry.field
    async def segments(self, info: Info) -> list[Segment]:
        return [Segment.of(found) for found in await loaders.segments_of(info).load(self.record.id)]

    @strawberry.field
    async def notes(
        self, info: Info, first: int | None = NOTES_PAGE, after: str | None = None
    ) -> Connection[Note]:
        page = page_request(first, after, default=NOTES_PAGE, key=(datetime, uuid.UUID))
        position = (page.after[0], page.after[1]) if page.after else None
        rows = await loaders.notes(info, page.limit, position).load(self.record.id)
        return page.connection(
            rows,
            node=Note.of,
            key=lambda note: (note.created_at, note.id),
            total=lambda: loaders.note_counts(info).load(self.record.id),
        )

    @strawberry.field
    def summary(self) -> CustomerSummary:
        figures = self.record.figures
        status, channel = figures.messenger_status, figures.default_channel
        return from_record(
            CustomerSummary,
            figures,
            messenger_status=MessengerStatus(status) if status else None,
            default_channel=Channel(channel) if channel else None,
            tier_id=strawberry.ID(str(figures.tier_id)) if figures.tier_id else None,
        )
