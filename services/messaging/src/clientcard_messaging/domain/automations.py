"""Messages that send themselves: what each automation is, its text's placeholders, and
the occasions it writes on (at most one message per customer and occasion).

- WELCOME: a customer registered (once per customer).
- AFTER_PURCHASE: `delay_days` after a sale (once per receipt).
- WIN_BACK: `delay_days` without a purchase (once per last purchase).
- BIRTHDAY: bonuses granted the birthday bonus (once per year).
- BONUS_EXPIRY: `delay_days` before bonuses burn (once per expiry).
"""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from clientcard_contracts.enums import AutomationKind, Channel
from clientcard_messaging.domain import messages
from clientcard_messaging.domain.errors import InvalidInput
from clientcard_messaging.domain.quiet_hours import MessagingSettings

MAX_DELAY_DAYS = 365
# The kinds that count days from something that happened or will: they need a delay.
COUNTED_IN_DAYS = (AutomationKind.WIN_BACK, AutomationKind.BONUS_EXPIRY)
PLACEHOLDERS = ("firstName", "bonusBalance", "expiringAmount", "expiringDate")
_PLACEHOLDER = re.compile(r"\{([A-Za-z]+)\}")

DEFAULT_TEXTS = {
    AutomationKind.WELCOME: "{firstName}, добро пожаловать! На вашем счёте {bonusBalance} бонусов.",
    AutomationKind.AFTER_PURCHASE: "{firstName}, спасибо за покупку! Будем рады видеть вас снова.",
    AutomationKind.WIN_BACK: "{firstName}, давно вас не видели! Ждём в гости.",
    AutomationKind.BIRTHDAY: "{firstName}, с днём рождения! Ваш бонусный счёт: {bonusBalance}.",
    AutomationKind.BONUS_EXPIRY: "{firstName}, {expiringDate} сгорят {expiringAmount} бонусов.",
}


@dataclass(frozen=True, slots=True)
class Automation:
    kind: AutomationKind
    enabled: bool
    text: str
    delay_days: int | None = None
    # None: the customer's default channel.
    channel: Channel | None = None

    @property
    def delay(self) -> timedelta:
        return timedelta(days=self.delay_days or 0)


def untouched(kind: AutomationKind) -> Automation:
    """An automation the merchant has not set up: off, with a text to start from."""
    days = 30 if kind in COUNTED_IN_DAYS else None
    return Automation(kind=kind, enabled=False, text=DEFAULT_TEXTS[kind], delay_days=days)


def automation(
    kind: AutomationKind,
    *,
    enabled: bool,
    text: str,
    delay_days: int | None,
    channel: Channel | None,
) -> Automation:
    """An automation as the merchant sets it up, checked."""
    body = messages.text(text, "input.text")
    unknown = sorted({name for name in _PLACEHOLDER.findall(body) if name not in PLACEHOLDERS})
    if unknown:
        known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        raise InvalidInput("input.text", f"unknown placeholder {{{unknown[0]}}}; known: {known}")
    if delay_days is not None and not 0 <= delay_days <= MAX_DELAY_DAYS:
        raise InvalidInput("input.delayDays", f"a delay is from 0 to {MAX_DELAY_DAYS} days")
    if kind in COUNTED_IN_DAYS and not delay_days:
        raise InvalidInput("input.delayDays", f"{kind.value} needs a delay of at least 1 day")
    return Automation(kind, enabled, body, delay_days, channel)


class Outcome(StrEnum):
    """What a due occasion came to."""

    QUEUED = "QUEUED"  # a message on its way
    UNREACHABLE = "UNREACHABLE"  # no active subscription on any channel
    # The customer's channel has no provider for the merchant (one taken out of the
    # settings since the customer linked it): skipped and counted, as mailings do.
    NOT_CONFIGURED = "NOT_CONFIGURED"


def outcome(channel: Channel | None, configured: frozenset[Channel]) -> Outcome:
    """What a due occasion comes to on the channel it would go out on (None: none)."""
    if channel is None:
        return Outcome.UNREACHABLE
    return Outcome.QUEUED if channel in configured else Outcome.NOT_CONFIGURED


@dataclass(frozen=True, slots=True)
class Facts:
    """What the messaging service knows of a customer that a text may name."""

    first_name: str | None
    bonus_balance: Decimal | None
    expiring_amount: Decimal | None
    expiring_at: datetime | None


def filled(text: str, facts: Facts, settings: MessagingSettings) -> str:
    """The text with its placeholders filled in; what is not known reads naturally."""
    values = {
        "firstName": (facts.first_name or "").strip() or "Здравствуйте",
        "bonusBalance": _amount(facts.bonus_balance),
        "expiringAmount": _amount(facts.expiring_amount),
        "expiringDate": settings.local_date(facts.expiring_at) if facts.expiring_at else "",
    }
    return _PLACEHOLDER.sub(lambda found: values.get(found[1], found[0]), text)


def _amount(value: Decimal | None) -> str:
    """Bonuses as customers read them: whole amounts without kopecks."""
    amount = value if value is not None else Decimal(0)
    return f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"


def welcome_occasion() -> str:
    return "registered"


def purchase_occasion(receipt_id: uuid.UUID) -> str:
    return f"receipt:{receipt_id}"


def birthday_occasion(granted_at: datetime, settings: MessagingSettings) -> str:
    """One birthday message a year: the year the birthday bonus was granted in."""
    return f"year:{granted_at.astimezone(settings.zone).year}"


def expiry_occasion(expires_at: datetime) -> str:
    return f"expiry:{_utc_key(expires_at)}"


def win_back_occasion(last_purchase_at: datetime) -> str:
    return f"last-purchase:{_utc_key(last_purchase_at)}"


def _utc_key(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
