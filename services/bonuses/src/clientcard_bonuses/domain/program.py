"""A merchant's loyalty program: how bonuses are earned, spent and lost."""

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from clientcard_bonuses.domain.birthdays import zone
from clientcard_bonuses.domain.money import HUNDRED, ZERO, percent_of
from clientcard_bonuses.domain.tiers import Tier, TierInput, tiers_from
from clientcard_kit.errors import InvalidInput

MAX_EXPIRY_DAYS = 3650
MAX_WELCOME_BONUS = Decimal("1000000.00")
MAX_PENDING_DAYS = 365
MAX_DAYS_BEFORE = 60


@dataclass(frozen=True, slots=True)
class LoyaltyProgram:
    """The defaults are what a new merchant gets until the owner changes them."""

    accrual_percent: Decimal = Decimal("5.00")
    max_redeem_percent: Decimal = Decimal("30.00")
    expiry_days: int | None = 365
    welcome_bonus: Decimal = ZERO
    # Days an accrual of a purchase waits before it may be spent (0: spendable at once).
    pending_days: int = 0
    # Lowest first; without tiers every customer earns `accrual_percent`.
    tiers: tuple[Tier, ...] = ()
    birthday_bonus: Decimal = ZERO
    birthday_days_before: int = 0
    # None: the birthday bonus burns as any accrual does (`expiry_days`).
    birthday_bonus_expiry_days: int | None = None
    # The tenant's time zone (IANA name): the day a birthday bonus is due is its date.
    time_zone: str = "UTC"

    def tier(self, tier_id: uuid.UUID | None) -> Tier | None:
        return next((tier for tier in self.tiers if tier.id == tier_id), None)

    def accrual_for(self, paid: Decimal, tier_id: uuid.UUID | None = None) -> Decimal:
        """The accrual of money paid by a customer in the tier (its percent if it is one of
        the program's tiers, else the flat percent)."""
        tier = self.tier(tier_id)
        return percent_of(paid, tier.accrual_percent if tier else self.accrual_percent)

    def available_from(self, moment: datetime) -> datetime | None:
        """When an accrual of a purchase at `moment` may be spent; None: at once."""
        return moment + timedelta(days=self.pending_days) if self.pending_days else None

    def birthday_expiry_from(self, moment: datetime) -> datetime | None:
        if self.birthday_bonus_expiry_days is None:
            return self.expiry_from(moment)
        return moment + timedelta(days=self.birthday_bonus_expiry_days)

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
    loyalty: "LoyaltyChanges | None" = None

    def applied_to(self, program: LoyaltyProgram) -> LoyaltyProgram:
        changed = self.loyalty.applied_to(program) if self.loyalty else program
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


@dataclass(frozen=True, slots=True)
class LoyaltyChanges:
    """Tiers, pending accrual and the birthday bonus; None leaves a setting as it is, but
    `birthday_bonus_expiry_days` given as null means "as any accrual" (`expiry_given`)."""

    pending_days: int | None = None
    tiers: tuple[TierInput, ...] | None = None
    birthday_bonus: Decimal | None = None
    birthday_days_before: int | None = None
    birthday_bonus_expiry_days: int | None = None
    birthday_expiry_given: bool = False
    time_zone: str | None = None

    def applied_to(self, program: LoyaltyProgram) -> LoyaltyProgram:
        changed = program
        if self.pending_days is not None:
            days = _days("pendingDays", self.pending_days, 0, MAX_PENDING_DAYS)
            changed = replace(changed, pending_days=days)
        if self.tiers is not None:
            changed = replace(changed, tiers=tiers_from(self.tiers, program.tiers))
        if self.birthday_bonus is not None:
            bonus = _bonus("birthdayBonus", self.birthday_bonus)
            changed = replace(changed, birthday_bonus=bonus)
        if self.birthday_days_before is not None:
            before = _days("birthdayDaysBefore", self.birthday_days_before, 0, MAX_DAYS_BEFORE)
            changed = replace(changed, birthday_days_before=before)
        if self.birthday_expiry_given:
            given = self.birthday_bonus_expiry_days
            expiry = (
                None
                if given is None
                else _days("birthdayBonusExpiryDays", given, 1, MAX_EXPIRY_DAYS)
            )
            changed = replace(changed, birthday_bonus_expiry_days=expiry)
        if self.time_zone is not None:
            changed = replace(changed, time_zone=zone(self.time_zone).key)
        return changed


def _days(field: str, value: int, lowest: int, highest: int) -> int:
    if not lowest <= value <= highest:
        raise InvalidInput(f"input.{field}", f"must be between {lowest} and {highest}")
    return value


def _bonus(field: str, value: Decimal) -> Decimal:
    if not ZERO <= value <= MAX_WELCOME_BONUS:
        raise InvalidInput(f"input.{field}", f"must be between 0 and {MAX_WELCOME_BONUS}")
    return value


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
