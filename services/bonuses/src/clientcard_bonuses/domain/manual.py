"""Rules of the operations a manager makes by hand on the card."""

from decimal import Decimal

from clientcard_kit.errors import InvalidInput

MAX_MANUAL_AMOUNT = Decimal("1000000.00")
MAX_COMMENT_LENGTH = 500


def manual_amount(value: Decimal) -> Decimal:
    if value <= 0:
        raise InvalidInput("amount", "must be above zero")
    if value > MAX_MANUAL_AMOUNT:
        raise InvalidInput("amount", f"must be at most {MAX_MANUAL_AMOUNT}")
    return value


def comment(text: str | None) -> str | None:
    """The comment as the table shows it: trimmed, and none rather than an empty one."""
    if text is None or not text.strip():
        return None
    cleaned = text.strip()
    if len(cleaned) > MAX_COMMENT_LENGTH:
        raise InvalidInput("comment", f"must be at most {MAX_COMMENT_LENGTH} characters")
    return cleaned
