"""A merchant's loyalty program: how bonuses are earned, spent and lost."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from clientcard_bonuses.domain.money import HUNDRED, ZERO, percent_of
from clientcard_kit.errors import InvalidInput

MAX_EXPIRY_DAYS = 3650
MAX_WELCOME_BONUS = Decimal("1000000.00")


@dataclass(frozen=True, slots=True)
class LoyaltyProgram:
    """The defaults are what a new merchant gets until the owner changes them."""

    accrual_percent: Decimal = Decimal("5.00")
    max_redeem_percent: Decimal = Decimal("30.00")
    expiry_days: int | None = 365
    welcome_bonus: Decimal = ZERO

    def accrual_for(self, paid: Decimal) -> Decimal:
        return percent_of(paid, self.accrual_percent)

    def redeemable_of(self, total: Decimal) -> Decimal:
        """The most bonuses a receipt of this total may be paid with."""
        return percent_of(total, self.max_redeem_percent)

    def expiry_from(self, moment: datetime) -> datetime | None:
        """When a lot accrued at `moment` burns; None when bonuses never expire."""
        if self.expiry_days is None:
            return None
        return moment + timedelta(days=self.expiry_days)


@dataclass(frozen=True, slots=True)
class ProgramChanges:
    """What `updateLoyaltyProgram` was given; None leaves a setting as it is.

    `expiry_days` is the exception: given as null it means "never expire", so whether it
    was given at all is told by `expiry_given`.
    """

    accrual_percent: Decimal | None = None
    max_redeem_percent: Decimal | None = None
    expiry_days: int | None = None
    expiry_given: bool = False
    welcome_bonus: Decimal | None = None

    def applied_to(self, program: LoyaltyProgram) -> LoyaltyProgram:
        changed = program
        if self.accrual_percent is not None:
            changed = replace(
                changed, accrual_percent=_percent("accrualPercent", self.accrual_percent)
            )
        if self.max_redeem_percent is not None:
            percent = _percent("maxRedeemPercent", self.max_redeem_percent)
            changed = replace(changed, max_redeem_percent=percent)
        if self.expiry_given:
            changed = replace(changed, expiry_days=_expiry_days(self.expiry_days))
        if self.welcome_bonus is not None:
            changed = replace(changed, welcome_bonus=_welcome_bonus(self.welcome_bonus))
        return changed


def _percent(field: str, value: Decimal) -> Decimal:
    if not ZERO <= value <= HUNDRED:
        raise InvalidInput(f"input.{field}", "must be between 0 and 100")
    return value


def _expiry_days(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= MAX_EXPIRY_DAYS:
        raise InvalidInput(
            "input.expiryDays", f"must be between 1 and {MAX_EXPIRY_DAYS}, or null for never"
        )
    return value


def _welcome_bonus(value: Decimal) -> Decimal:
    if not ZERO <= value <= MAX_WELCOME_BONUS:
        raise InvalidInput("input.welcomeBonus", f"must be between 0 and {MAX_WELCOME_BONUS}")
    return value
