"""How long an SMS is: its alphabet and the parts it is sent in.

A text all in the GSM 03.38 alphabet (Latin letters, digits, common signs) goes 7 bits a
character: 160 in one part, 153 a part when concatenated (the header takes the rest);
the extension characters (€, [, ], {, }, ^, ~, |, \\) take two. Anything else, Cyrillic
among it, goes in UCS-2: 70 UTF-16 units in one part, 67 a part when concatenated.
"""

import math
from dataclasses import dataclass
from enum import StrEnum

_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = frozenset("\f^{}\\[~]|€")


class Alphabet(StrEnum):
    GSM7 = "GSM7"
    UCS2 = "UCS2"


@dataclass(frozen=True, slots=True)
class SmsLength:
    alphabet: Alphabet
    # Septets (GSM-7) or UTF-16 code units (UCS-2).
    units: int
    parts: int


LIMITS = {Alphabet.GSM7: (160, 153), Alphabet.UCS2: (70, 67)}


def measure(text: str) -> SmsLength:
    if all(c in _GSM_BASIC or c in _GSM_EXTENSION for c in text):
        alphabet = Alphabet.GSM7
        units = sum(2 if c in _GSM_EXTENSION else 1 for c in text)
    else:
        alphabet = Alphabet.UCS2
        units = len(text.encode("utf-16-le")) // 2
    single, each = LIMITS[alphabet]
    parts = 1 if units <= single else math.ceil(units / each)
    return SmsLength(alphabet, units, parts)
