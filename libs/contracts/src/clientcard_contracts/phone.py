"""Phone numbers in E.164, the one form every service stores and matches on.

A customer registered as "8 (912) 345-67-89" in a salon and named by a till as
"+79123456789" is one customer, so customers, receipts and messaging normalise with this
same function before they store or compare a phone.
"""

from typing import Annotated

import phonenumbers
from pydantic import StringConstraints

# The merchants this product serves are mostly in Russia; a number written without a
# country code is read as Russian unless a caller says otherwise.
DEFAULT_REGION = "RU"
MAX_INPUT_LENGTH = 32

E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"

E164Phone = Annotated[str, StringConstraints(pattern=E164_PATTERN)]
"""A phone already in E.164, as events carry it: "+" and up to 15 digits."""


class InvalidPhone(ValueError):
    pass


def normalize_phone(raw: str, default_region: str = DEFAULT_REGION) -> str:
    """The E.164 form of a phone number, or InvalidPhone saying what is wrong with it."""
    text = raw.strip()
    if not text:
        raise InvalidPhone("the phone number is empty")
    if len(text) > MAX_INPUT_LENGTH:
        raise InvalidPhone("the phone number is too long")
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"{raw!r} is not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_digits(e164: str) -> str:
    """The digits of the number as it is dialled inside its country ("89123456789" for
    "+79123456789"): how a merchant often types a client's phone."""
    number = phonenumbers.parse(e164, None)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(ch for ch in national if ch.isdigit())
