"""The enumerations events share with the GraphQL contract.

Names and values are the contract's own (`contract.graphql`), so a value read off an event
can be handed to a GraphQL enum, and a value stored by one service means the same in
another. The last few are not in the GraphQL contract: they exist only in events.
"""

from enum import StrEnum


class Gender(StrEnum):
    FEMALE = "FEMALE"
    MALE = "MALE"
    UNKNOWN = "UNKNOWN"


class RegistrationSource(StrEnum):
    MESSENGER = "MESSENGER"
    POS = "POS"
    MANUAL = "MANUAL"
    IMPORT = "IMPORT"
    WEB = "WEB"


class Channel(StrEnum):
    TELEGRAM = "TELEGRAM"
    WHATSAPP = "WHATSAPP"
    VIBER = "VIBER"
    VK = "VK"
    SMS = "SMS"


class MessengerStatus(StrEnum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class ReceiptType(StrEnum):
    SALE = "SALE"
    RETURN = "RETURN"


class BonusOperationType(StrEnum):
    ACCRUAL = "ACCRUAL"
    WRITE_OFF = "WRITE_OFF"
    EXPIRATION = "EXPIRATION"


class BonusEvent(StrEnum):
    """What caused a bonus operation."""

    PURCHASE = "PURCHASE"
    RETURN = "RETURN"
    MANUAL = "MANUAL"
    WELCOME = "WELCOME"
    EXPIRY = "EXPIRY"
    BIRTHDAY = "BIRTHDAY"


class MessageDirection(StrEnum):
    OUTBOUND = "OUTBOUND"
    INBOUND = "INBOUND"


class MessageKind(StrEnum):
    BROADCAST = "BROADCAST"
    MANUAL = "MANUAL"
    SURVEY = "SURVEY"
    BOT = "BOT"
    REPLY = "REPLY"
    AUTOMATION = "AUTOMATION"


class AutomationKind(StrEnum):
    """The occasions on which messaging writes to a customer by itself."""

    WELCOME = "WELCOME"
    AFTER_PURCHASE = "AFTER_PURCHASE"
    WIN_BACK = "WIN_BACK"
    BIRTHDAY = "BIRTHDAY"
    BONUS_EXPIRY = "BONUS_EXPIRY"


class DeliveryStatus(StrEnum):
    QUEUED = "QUEUED"
    SENT = "SENT"
    DELIVERED = "DELIVERED"
    READ = "READ"
    FAILED = "FAILED"


class BroadcastStatus(StrEnum):
    DRAFT = "DRAFT"
    SCHEDULED = "SCHEDULED"
    SENDING = "SENDING"
    SENT = "SENT"
    CANCELLED = "CANCELLED"


# Only in events.


class ReservationStatus(StrEnum):
    """Where a till's reservation of bonuses stands."""

    HELD = "HELD"
    COMMITTED = "COMMITTED"  # spent by the receipt that carried it
    RELEASED = "RELEASED"  # given back by the till or a manager
    EXPIRED = "EXPIRED"  # not used before its expiry


class RedemptionStatus(StrEnum):
    """What became of the bonuses a receipt asked to spend."""

    NONE = "NONE"  # it asked for none
    APPLIED = "APPLIED"
    REFUSED = "REFUSED"


class BonusRejection(StrEnum):
    """Why bonuses named on a receipt were not written off (the receipt then spends none)."""

    INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE"
    OVER_REDEEM_LIMIT = "OVER_REDEEM_LIMIT"
    NO_ACCOUNT = "NO_ACCOUNT"


class UnsubscribeReason(StrEnum):
    """Why a messenger subscription stopped being active."""

    MANAGER = "MANAGER"  # unsubscribeMessenger in the back office
    CUSTOMER = "CUSTOMER"  # the customer asked the bot to stop
    BLOCKED = "BLOCKED"  # the provider reports that the customer blocked the bot
