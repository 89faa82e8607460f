"""How the client list's search reads what a merchant types.

A customer's searchable text is a row of words, each after a space: the parts of the name,
the phone's digits as written internationally and as dialled at home (for Russia the
8… form), and the e-mail whole and in its parts. Case does not count, nor ё against е.

A query becomes needles, every one of which a customer's text must hold:
- a query of nothing but a phone's characters (digits, spaces, `+ ( ) - .`) with at least
  four digits is one fragment of a phone: its digits, anywhere in a phone's digits;
- otherwise each word on its own, so that the order of words does not count: a word with
  `@` or `.` is a piece of an e-mail, anywhere in it; four digits or more, a fragment of a
  phone; any other word, the start of a word of the name or the e-mail.
"""

import re
from dataclasses import dataclass

from clientcard_contracts.phone import national_digits

MIN_PHONE_DIGITS = 4
MAX_WORDS = 8

_PHONE_QUERY = re.compile(r"^[\d\s()+\-.]+$")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Needles:
    """What a customer's searchable text must hold, each piece as it appears there."""

    pieces: tuple[str, ...]

    def found_in(self, searchable: str) -> bool:
        """Whether a customer's searchable text matches (what the database checks too)."""
        return all(piece in searchable for piece in self.pieces)


def folded(text: str) -> str:
    """Text as the search compares it: case-folded, ё read as е."""
    return text.casefold().replace("ё", "е")


def searchable_text(
    first_name: str | None, last_name: str | None, phone: str, email: str | None
) -> str:
    """The text the search looks in, for a customer with this name, phone and e-mail."""
    words: list[str] = []
    for name in (first_name, last_name):
        if name:
            words += _WORD.findall(folded(name))
    words += [phone.lstrip("+"), national_digits(phone)]
    if email:
        words.append(folded(email))
        words += _WORD.findall(folded(email))
    return "".join(f" {word}" for word in words)


def needles(query: str) -> Needles:
    """The pieces a customer's text must hold to match the query (none: matches everyone)."""
    text = folded(" ".join(query.split()))
    digits = _digits(text)
    if _PHONE_QUERY.match(text) and len(digits) >= MIN_PHONE_DIGITS:
        return Needles((digits,))
    pieces: list[str] = []
    for word in text.split(" ")[:MAX_WORDS]:
        pieces += _pieces_of(word)
    found = tuple(dict.fromkeys(piece for piece in pieces if piece.strip()))
    # Punctuation alone has no words: it is looked for as typed.
    return Needles(found or (text,))


def _pieces_of(word: str) -> list[str]:
    if "@" in word or "." in word.strip("."):
        return [word]
    digits = _digits(word)
    if _PHONE_QUERY.match(word) and len(digits) >= MIN_PHONE_DIGITS:
        return [digits]
    return [f" {part}" for part in _WORD.findall(word)]


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
