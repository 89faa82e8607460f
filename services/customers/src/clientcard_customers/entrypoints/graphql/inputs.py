"""The customers part of the contract's inputs, and how each becomes a domain value."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import strawberry

from clientcard_contracts.enums import Channel, Gender, MessengerStatus, RegistrationSource
from clientcard_customers.domain import profile
from clientcard_customers.domain.client_list import (
    ClientFilter,
    ClientOrder,
    Direction,
    NpsCategory,
    OrderField,
    checked,
)
from clientcard_customers.domain.errors import InvalidInput
from clientcard_kit.graphql.enums import (
    ChannelType,
    GenderType,
    MessengerStatusType,
    RegistrationSourceType,
)
from clientcard_kit.graphql.ids import argument_ids

OrderFieldType = strawberry.enum(OrderField, name="CustomerOrderField")
DirectionType = strawberry.enum(Direction, name="OrderDirection")
NpsCategoryType = strawberry.enum(NpsCategory, name="NpsCategory")


@strawberry.input
class QuestionnaireAnswerInput:
    question: str
    answer: str


@strawberry.input
class RegisterCustomerInput:
    phone: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    birth_date: date | None = None
    gender: GenderType | None = Gender.UNKNOWN  # type: ignore[valid-type]
    source: RegistrationSourceType = RegistrationSource.MANUAL  # type: ignore[valid-type]
    channel: ChannelType | None = None  # type: ignore[valid-type]
    outlet_id: strawberry.ID | None = None
    questionnaire: list[QuestionnaireAnswerInput] | None = None

    def to_domain(self, today: date) -> profile.NewCustomer:
        return profile.NewCustomer(
            phone=profile.phone(self.phone),
            profile=profile.profile(
                today=today,
                email_address=self.email,
                first_name=self.first_name,
                last_name=self.last_name,
                born=self.birth_date,
                gender=Gender(self.gender or Gender.UNKNOWN),
            ),
            registration=profile.Registration(
                registered_at=datetime.now(UTC),
                source=RegistrationSource(self.source),
                channel=Channel(self.channel) if self.channel else None,
                outlet_id=profile.outlet(self.outlet_id),
            ),
            questionnaire=profile.questionnaire(
                [(answer.question, answer.answer) for answer in self.questionnaire or []]
            ),
        )


@strawberry.input
class UpdateCustomerInput:
    email: str | None = strawberry.UNSET
    first_name: str | None = strawberry.UNSET
    last_name: str | None = strawberry.UNSET
    birth_date: date | None = strawberry.UNSET
    gender: GenderType | None = strawberry.UNSET  # type: ignore[valid-type]
    phone: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="A new phone, in any common spelling; unique in the tenant, never null.",
    )
    questionnaire: list[QuestionnaireAnswerInput] | None = strawberry.field(
        default=strawberry.UNSET, description="The answers replacing the ones kept; null: none."
    )

    def to_domain(self, today: date) -> profile.ProfileChanges:
        given = {
            name: getattr(self, name)
            for name in ("email", "first_name", "last_name", "birth_date", "gender")
            if getattr(self, name) is not strawberry.UNSET
        }
        if self.phone is None:
            raise InvalidInput("phone", "a customer's phone can be changed, not removed")
        answers = self.questionnaire
        return profile.changes(
            today,
            given,
            new_phone=None if self.phone is strawberry.UNSET else self.phone,
            answers=None
            if answers is strawberry.UNSET
            else [(answer.question, answer.answer) for answer in answers or []],
        )


@strawberry.input
class CustomerFilter:
    search: str | None = None
    segment_ids: list[strawberry.ID] | None = None
    gender: GenderType | None = None  # type: ignore[valid-type]
    registered_from: datetime | None = None
    registered_to: datetime | None = None
    purchases_min: int | None = None
    purchases_max: int | None = None
    revenue_min: Decimal | None = None
    revenue_max: Decimal | None = None
    average_check_min: Decimal | None = None
    average_check_max: Decimal | None = None
    last_purchase_from: datetime | None = None
    last_purchase_to: datetime | None = None
    bonus_balance_min: Decimal | None = None
    bonus_balance_max: Decimal | None = None
    messenger_status: MessengerStatusType | None = None  # type: ignore[valid-type]
    channel: ChannelType | None = None  # type: ignore[valid-type]
    nps_min: int | None = None
    nps_max: int | None = None
    birthday_within_days: int | None = None
    outlet_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Registered at any of these outlets."
    )
    bonuses_expiring_within_days: int | None = strawberry.field(
        default=None, description="Some of the balance burns within N days."
    )
    purchased_at_outlet_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Bought at least once at any of these outlets."
    )
    registration_sources: list[RegistrationSourceType] | None = None  # type: ignore[valid-type]
    has_messenger: bool | None = strawberry.field(
        default=None, description="Has at least one ACTIVE messenger subscription."
    )
    not_in_segment_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="In none of these segments."
    )
    birth_month: int | None = strawberry.field(default=None, description="1..12")
    nps_category: NpsCategoryType | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Of the last score; NONE = never answered."
    )
    tier_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="In any of these loyalty tiers now."
    )

    def to_domain(self) -> ClientFilter:
        values = {name: getattr(self, name) for name in ClientFilter.__dataclass_fields__}
        values["segment_ids"] = (
            tuple(ids("filter.segmentIds", self.segment_ids)) if self.segment_ids else None
        )
        values["gender"] = Gender(self.gender) if self.gender else None
        values["messenger_status"] = (
            MessengerStatus(self.messenger_status).value if self.messenger_status else None
        )
        values["channel"] = Channel(self.channel).value if self.channel else None
        values["outlet_ids"] = tuple(str(outlet) for outlet in self.outlet_ids or ()) or None
        values["purchased_at_outlet_ids"] = (
            tuple(str(outlet) for outlet in self.purchased_at_outlet_ids or ()) or None
        )
        values["registration_sources"] = (
            tuple(RegistrationSource(source) for source in self.registration_sources)
            if self.registration_sources
            else None
        )
        values["not_in_segment_ids"] = (
            tuple(ids("filter.notInSegmentIds", self.not_in_segment_ids))
            if self.not_in_segment_ids
            else None
        )
        values["nps_category"] = NpsCategory(self.nps_category) if self.nps_category else None
        values["tier_ids"] = tuple(ids("filter.tierIds", self.tier_ids)) if self.tier_ids else None
        return checked(ClientFilter(**values))


@strawberry.input
class CustomerOrder:
    field: OrderFieldType  # type: ignore[valid-type]
    direction: DirectionType = Direction.DESC  # type: ignore[valid-type]

    def to_domain(self) -> ClientOrder:
        return ClientOrder(OrderField(self.field), Direction(self.direction))


def ids(field: str, values: list[strawberry.ID]) -> list[uuid.UUID]:
    return argument_ids(values, field)
