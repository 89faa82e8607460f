"""The bonuses part of the contract's inputs, and how each becomes a domain value."""

import uuid
from decimal import Decimal
from typing import TypeVar

import strawberry

from clientcard_bonuses.domain.program import LoyaltyChanges, ProgramChanges
from clientcard_bonuses.domain.tiers import TierInput
from clientcard_kit.graphql.ids import argument_id

T = TypeVar("T")


@strawberry.input
class LoyaltyTierInput:
    name: str
    min_spend: Decimal
    accrual_percent: Decimal


@strawberry.input
class LoyaltyProgramInput:
    """Settings left out stay as they are; `expiryDays: null` means bonuses never expire."""

    accrual_percent: Decimal | None = strawberry.UNSET
    max_redeem_percent: Decimal | None = strawberry.UNSET
    expiry_days: int | None = strawberry.UNSET
    welcome_bonus: Decimal | None = strawberry.UNSET
    pending_days: int | None = strawberry.UNSET
    tiers: list[LoyaltyTierInput] | None = strawberry.UNSET
    birthday_bonus: Decimal | None = strawberry.UNSET
    birthday_days_before: int | None = strawberry.UNSET
    birthday_bonus_expiry_days: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="Null: the birthday bonus burns as any accrual (expiryDays).",
    )
    time_zone: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="IANA name (Europe/Moscow); the day a birthday bonus is due is its date.",
    )

    def to_domain(self) -> ProgramChanges:
        expiry_given = self.expiry_days is not strawberry.UNSET
        return ProgramChanges(
            loyalty=self._loyalty(),
            accrual_percent=_given(self.accrual_percent),
            max_redeem_percent=_given(self.max_redeem_percent),
            expiry_days=self.expiry_days if expiry_given else None,
            expiry_given=expiry_given,
            welcome_bonus=_given(self.welcome_bonus),
        )

    def _loyalty(self) -> LoyaltyChanges:
        birthday_expiry_given = self.birthday_bonus_expiry_days is not strawberry.UNSET
        tiers = _given(self.tiers)
        return LoyaltyChanges(
            pending_days=_given(self.pending_days),
            tiers=None
            if tiers is None
            else tuple(TierInput(t.name, t.min_spend, t.accrual_percent) for t in tiers),
            birthday_bonus=_given(self.birthday_bonus),
            birthday_days_before=_given(self.birthday_days_before),
            birthday_bonus_expiry_days=self.birthday_bonus_expiry_days
            if birthday_expiry_given
            else None,
            birthday_expiry_given=birthday_expiry_given,
            time_zone=_given(self.time_zone),
        )


def _given(value: T | None) -> T | None:
    return None if value is strawberry.UNSET else value


def customer_id(value: strawberry.ID) -> uuid.UUID:
    return argument_id(value, "customerId")


def reservation_id(value: strawberry.ID) -> uuid.UUID:
    return argument_id(value, "id")
