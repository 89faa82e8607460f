"""The messaging part of the contract's types, built from the service's records."""

import uuid
from datetime import UTC, datetime

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from clientcard_kit.errors import NotFound
from clientcard_kit.graphql import Connection, page_request
from clientcard_kit.graphql.entities import KeyedById
from clientcard_kit.graphql.enums import (
    BroadcastStatusType,
    ChannelType,
    DeliveryStatusType,
    MessageDirectionType,
    MessageKindType,
    MessengerStatusType,
)
from clientcard_kit.graphql.ids import reference_id
from clientcard_kit.graphql.records import from_record
from clientcard_messaging.domain import subscriptions as rules
from clientcard_messaging.domain.nps import Report
from clientcard_messaging.domain.records import Broadcast as BroadcastRecord
from clientcard_messaging.domain.records import Message as MessageRecord
from clientcard_messaging.domain.records import NpsResponse as NpsResponseRecord
from clientcard_messaging.domain.records import Subscription
from clientcard_messaging.entrypoints.graphql import loaders
from clientcard_messaging.entrypoints.graphql.context import Info

CONVERSATION_PAGE = 50


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


@strawberry.type
class MessengerSubscription:
    channel: ChannelType  # type: ignore[valid-type]
    is_default: bool
    status: MessengerStatusType  # type: ignore[valid-type]
    subscribed_at: datetime
    last_contact_at: datetime | None
    messages_delivered: int

    @classmethod
    def of(cls, subscription: Subscription) -> "MessengerSubscription":
        return cls(
            channel=subscription.channel,
            is_default=subscription.is_default,
            status=subscription.status,
            subscribed_at=_utc(subscription.subscribed_at),
            last_contact_at=_utc(subscription.last_contact_at)
            if subscription.last_contact_at
            else None,
            messages_delivered=subscription.messages_delivered,
        )

    @classmethod
    def all(cls, subscriptions: list[Subscription]) -> list["MessengerSubscription"]:
        return [cls.of(s) for s in rules.in_display_order(subscriptions)]


@strawberry.type
class BroadcastStats:
    recipients: int
    sent: int
    delivered: int
    read: int
    failed: int
    replied: int
    unreachable: int
    # Members skipped because their channel is not configured for the merchant.
    not_configured: int


@strawberry.federation.type(keys=["id"])
class Broadcast:
    id: strawberry.ID
    record: strawberry.Private[BroadcastRecord]

    @classmethod
    def of(cls, broadcast: BroadcastRecord) -> "Broadcast":
        return cls(id=strawberry.ID(str(broadcast.id)), record=broadcast)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Broadcast | None":
        key = as_uuid(id, "broadcast")
        found = await loaders.broadcasts(info).load(key)
        return cls.of(found) if found else None

    @strawberry.field
    def name(self) -> str:
        return self.record.name

    @strawberry.field
    def text(self) -> str:
        return self.record.text

    @strawberry.field
    def segment_ids(self) -> list[strawberry.ID]:
        return [strawberry.ID(str(segment_id)) for segment_id in self.record.segment_ids]

    @strawberry.field
    def channel(self) -> ChannelType | None:  # type: ignore[valid-type]
        return self.record.channel

    @strawberry.field
    def status(self) -> BroadcastStatusType:  # type: ignore[valid-type]
        return self.record.status

    @strawberry.field
    def scheduled_at(self) -> datetime | None:
        return _utc(self.record.scheduled_at) if self.record.scheduled_at else None

    @strawberry.field
    def created_at(self) -> datetime:
        return _utc(self.record.created_at)

    @strawberry.field
    async def stats(self, info: Info) -> BroadcastStats:
        found = await loaders.broadcast_stats(info).load(self.record.id)
        return from_record(BroadcastStats, found)


@strawberry.type
class Message:
    # Plain values, not resolvers: a conversation page is fifty of these, and a plain field
    # costs graphql-core a fraction of a resolver (clientcard_kit.graphql.leaf_fields).
    id: strawberry.ID
    sent_at: datetime
    direction: MessageDirectionType  # type: ignore[valid-type]
    channel: ChannelType  # type: ignore[valid-type]
    kind: MessageKindType  # type: ignore[valid-type]
    text: str
    status: DeliveryStatusType  # type: ignore[valid-type]
    failure_reason: str | None
    record: strawberry.Private[MessageRecord]

    @classmethod
    def of(cls, message: MessageRecord) -> "Message":
        return from_record(
            cls,
            message,
            id=strawberry.ID(str(message.id)),
            sent_at=_utc(message.sent_at or message.created_at),
            record=message,
        )

    @strawberry.field
    async def broadcast(self, info: Info) -> Broadcast | None:
        if self.record.broadcast_id is None:
            return None
        found = await loaders.broadcasts(info).load(self.record.broadcast_id)
        return Broadcast.of(found) if found else None


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)])
class Receipt:
    id: strawberry.ID


@strawberry.type
class NpsResponse:
    score: int
    comment: str | None
    responded_at: datetime
    receipt: Receipt | None

    @classmethod
    def of(cls, response: NpsResponseRecord) -> "NpsResponse":
        receipt = response.receipt_id
        return cls(
            score=response.score,
            comment=response.comment,
            responded_at=_utc(response.responded_at),
            receipt=Receipt(id=strawberry.ID(str(receipt))) if receipt else None,
        )


@strawberry.type
class NpsSummary:
    last_score: int | None
    average_score: float | None
    responses: list[NpsResponse]


@strawberry.type
class NpsReport:
    nps: float | None
    promoters: int
    passives: int
    detractors: int
    responses: int

    @classmethod
    def of(cls, report: Report) -> "NpsReport":
        return cls(
            nps=report.nps,
            promoters=report.promoters,
            passives=report.passives,
            detractors=report.detractors,
            responses=report.responses,
        )


@strawberry.federation.type(keys=["id"])
class Customer(KeyedById):
    """Every customer id has a (possibly empty) messaging card."""

    @property
    def key(self) -> uuid.UUID:
        return as_uuid(self.id, "customer")

    @strawberry.field
    async def messengers(self, info: Info) -> list[MessengerSubscription] | None:
        return MessengerSubscription.all(await loaders.subscriptions(info).load(self.key))

    @strawberry.field
    async def conversation(
        self, info: Info, first: int | None = CONVERSATION_PAGE, after: str | None = None
    ) -> Connection[Message] | None:
        page = page_request(first, after, default=CONVERSATION_PAGE, key=(datetime, uuid.UUID))
        position = (page.after[0], page.after[1]) if page.after else None
        customer = self.key
        rows = await loaders.conversation(info, page.limit, position).load(customer)
        return page.connection(
            rows,
            node=Message.of,
            key=lambda message: (message.created_at, message.id),
            total=lambda: loaders.conversation_sizes(info).load(customer),
        )

    @strawberry.field
    async def nps(self, info: Info) -> NpsSummary | None:
        responses = await loaders.nps_responses(info).load(self.key)
        scores = [response.score for response in responses]
        return NpsSummary(
            last_score=scores[0] if scores else None,
            average_score=round(sum(scores) / len(scores), 2) if scores else None,
            responses=[NpsResponse.of(response) for response in responses],
        )


def as_uuid(value: object, what: str) -> uuid.UUID:
    """The id of a thing looked up by it; NOT_FOUND when it can name nothing."""
    parsed = reference_id(value)
    if parsed is None:
        raise NotFound(f"no {what} {value}")
    return parsed
