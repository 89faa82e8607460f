"""The bonuses part of the contract's types, built from the service's records."""

import uuid
from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.federation.schema_directives import Shareable

from clientcard_bonuses.domain import account, records
from clientcard_bonuses.domain.money import ZERO
from clientcard_bonuses.domain.program import LoyaltyProgram as Program
from clientcard_bonuses.domain.receipts import ReceiptBonuses
from clientcard_bonuses.domain.reservations import Reservation
from clientcard_bonuses.domain.tiers import Tier, spend_to_next_tier
from clientcard_bonuses.entrypoints.graphql import loaders
from clientcard_bonuses.entrypoints.graphql.context import Info
from clientcard_contracts.enums import (
    BonusOperationType,
)
from clientcard_kit.graphql import Connection, page_request
from clientcard_kit.graphql.entities import KeyedById
from clientcard_kit.graphql.enums import (
    BonusEventType,
    BonusOperationTypeType,
    RedemptionStatusType,
    ReservationStatusType,
)
from clientcard_kit.graphql.ids import reference_id
from clientcard_kit.graphql.records import from_record

OPERATIONS_PAGE = 20


@strawberry.federation.type(keys=["id"])
class Receipt(KeyedById):
    """A receipt of the receipts service, with what it did to the customer's bonuses."""

    async def _accrued(self, info: Info) -> Decimal | None:
        applied = await self._applied(info)
        return applied.bonuses_accrued if applied else ZERO

    async def _spent(self, info: Info) -> Decimal | None:
        applied = await self._applied(info)
        return applied.bonuses_spent if applied else ZERO

    # Shared with the receipts service, which keeps a copy from this service's
    # `receipt.bonuses.applied` events and answers them beside the receipt.
    bonuses_accrued = strawberry.field(resolver=_accrued, directives=[Shareable()])
    bonuses_spent = strawberry.field(resolver=_spent, directives=[Shareable()])

    # Null until the ledger has applied the receipt.
    @strawberry.field
    async def bonus_redemption(self, info: Info) -> "BonusRedemption | None":
        applied = await self._applied(info)
        return BonusRedemption.of(applied) if applied else None

    async def _applied(self, info: Info) -> ReceiptBonuses | None:
        receipt_id = reference_id(self.id)
        # A receipt bonuses never saw (or an id of no receipt) moved no bonuses.
        return await loaders.receipts(info).load(receipt_id) if receipt_id else None


@strawberry.type
class BonusRedemption:
    requested: Decimal
    applied: Decimal
    status: RedemptionStatusType  # type: ignore[valid-type]
    reason: str | None

    @classmethod
    def of(cls, applied: ReceiptBonuses) -> "BonusRedemption":
        return from_record(cls, applied.redemption)


@strawberry.type
class BonusReservation:
    id: strawberry.ID
    customer_id: strawberry.ID
    amount: Decimal
    status: ReservationStatusType  # type: ignore[valid-type]
    created_at: datetime
    expires_at: datetime
    receipt_number: str | None

    @classmethod
    def of(cls, reservation: Reservation) -> "BonusReservation":
        return from_record(
            cls,
            reservation,
            id=strawberry.ID(str(reservation.id)),
            customer_id=strawberry.ID(str(reservation.customer_id)),
        )


@strawberry.type
class BonusExpiration:
    amount: Decimal
    expires_at: datetime


@strawberry.type
class BonusOperation:
    id: strawberry.ID
    occurred_at: datetime
    type: BonusOperationTypeType  # type: ignore[valid-type]
    event: BonusEventType  # type: ignore[valid-type]
    amount: Decimal
    balance_after: Decimal
    comment: str | None
    author: str | None
    recorded_at: datetime = strawberry.field(description="When the ledger wrote it.")
    expires_at: datetime | None = strawberry.field(description="ACCRUAL: when its lot burns.")
    available_at: datetime | None = strawberry.field(
        description="ACCRUAL: when its bonuses may be spent; null: at once."
    )
    receipt_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field
    def receipt(self) -> Receipt | None:
        return Receipt(id=strawberry.ID(str(self.receipt_id))) if self.receipt_id else None

    @classmethod
    def of(cls, operation: account.Operation) -> "BonusOperation":
        return from_record(
            cls, operation, id=strawberry.ID(str(operation.id)), recorded_at=operation.recorded
        )


@strawberry.type
class BonusAccount:
    """The card's bonus statistics: balance ("on account"), accrued, spent, expired
    ("burned"), purchases, and the operations table newest first."""

    customer_id: strawberry.Private[uuid.UUID]

    async def _totals(self, info: Info) -> account.Totals:
        return await loaders.totals(info).load(self.customer_id)

    @strawberry.field
    async def balance(self, info: Info) -> Decimal:
        return (await self._totals(info)).balance

    @strawberry.field
    async def accrued(self, info: Info) -> Decimal:
        return (await self._totals(info)).accrued

    @strawberry.field
    async def spent(self, info: Info) -> Decimal:
        return (await self._totals(info)).spent

    @strawberry.field
    async def expired(self, info: Info) -> Decimal:
        return (await self._totals(info)).expired

    @strawberry.field
    async def purchases(self, info: Info) -> int:
        return (await self._totals(info)).purchases

    # Accrued, not spendable yet: part of the balance.
    @strawberry.field
    async def pending(self, info: Info) -> Decimal:
        return (await self._totals(info)).pending

    # By the money paid over the last 365 days.
    @strawberry.field
    async def tier(self, info: Info) -> "LoyaltyTier | None":
        program = await loaders.programs(info).load(self.customer_id)
        tier = program.tier((await self._totals(info)).tier_id)
        return LoyaltyTier.of(tier) if tier else None

    # More spend that reaches the next tier; null at the top (or without tiers).
    @strawberry.field
    async def spend_to_next_tier(self, info: Info) -> Decimal | None:
        program = await loaders.programs(info).load(self.customer_id)
        totals = await self._totals(info)
        return spend_to_next_tier(program.tiers, totals.spend)

    @strawberry.field
    async def next_expiration(self, info: Info) -> BonusExpiration | None:
        found = await loaders.next_expirations(info).load(self.customer_id)
        return BonusExpiration(amount=found.amount, expires_at=found.expires_at) if found else None

    @strawberry.field
    async def operations(
        self,
        info: Info,
        first: int | None = OPERATIONS_PAGE,
        after: str | None = None,
        # UNSET rather than None: the open composers disagree on an enum argument's null
        # default, and without a default both print it alike.
        type: BonusOperationTypeType | None = strawberry.UNSET,  # type: ignore[valid-type]
    ) -> Connection[BonusOperation]:
        page = page_request(first, after, default=OPERATIONS_PAGE, key=(int,))
        wanted = BonusOperationType(type) if type else None
        before = int(page.after[0]) if page.after else None
        rows = await loaders.operations(info, page.limit, before, wanted).load(self.customer_id)
        return page.connection(
            rows,
            node=BonusOperation.of,
            key=lambda operation: (operation.number,),
            total=lambda: loaders.operation_counts(info, wanted).load(self.customer_id),
        )


@strawberry.federation.type(keys=["id"])
class Customer(KeyedById):
    @strawberry.field
    def bonuses(self) -> BonusAccount | None:
        customer_id = reference_id(self.id)
        # An id that is no customer's has an empty account, as a customer without one does.
        return BonusAccount(customer_id=customer_id or uuid.UUID(int=0))


@strawberry.type
class LoyaltyTier:
    id: strawberry.ID
    name: str
    min_spend: Decimal
    accrual_percent: Decimal

    @classmethod
    def of(cls, tier: Tier) -> "LoyaltyTier":
        return from_record(cls, tier, id=strawberry.ID(str(tier.id)))


@strawberry.type
class LoyaltyProgram:
    accrual_percent: Decimal
    max_redeem_percent: Decimal
    expiry_days: int | None
    welcome_bonus: Decimal
    pending_days: int
    tiers: list[LoyaltyTier]
    birthday_bonus: Decimal
    birthday_days_before: int
    birthday_bonus_expiry_days: int | None
    time_zone: str = strawberry.field(
        description="The IANA time zone whose date says when a birthday bonus is due."
    )

    @classmethod
    def of(cls, program: Program) -> "LoyaltyProgram":
        return from_record(cls, program, tiers=[LoyaltyTier.of(tier) for tier in program.tiers])


@strawberry.type
class BonusQuote:
    balance: Decimal
    max_redeemable: Decimal
    accrual_if_no_redeem: Decimal

    @classmethod
    def of(cls, quote: records.Quote) -> "BonusQuote":
        return from_record(cls, quote)
