"""The bonuses part of the contract's inputs, and how each becomes a domain value."""

import uuid
from decimal import Decimal

import strawberry

from clientcard_bonuses.domain.program import ProgramChanges
from clientcard_kit.graphql.ids import argument_id


@strawberry.input
class LoyaltyProgramInput:
    """Settings left out stay as they are; `expiryDays: null` means bonuses never expire."""

    accrual_percent: Decimal | None = strawberry.UNSET
    max_redeem_percent: Decimal | None = strawberry.UNSET
    expiry_days: int | None = strawberry.UNSET
    welcome_bonus: Decimal | None = strawberry.UNSET

    def to_domain(self) -> ProgramChanges:
        expiry_given = self.expiry_days is not strawberry.UNSET
        return ProgramChanges(
            accrual_percent=_given(self.accrual_percent),
            max_redeem_percent=_given(self.max_redeem_percent),
            expiry_days=self.expiry_days if expiry_given else None,
            expiry_given=expiry_given,
            welcome_bonus=_given(self.welcome_bonus),
        )


def _given(value: Decimal | None) -> Decimal | None:
    return None if value is strawberry.UNSET else value


def customer_id(value: strawberry.ID) -> uuid.UUID:
    return argument_id(value, "customerId")


def reservation_id(value: strawberry.ID) -> uuid.UUID:
    return argument_id(value, "id")
