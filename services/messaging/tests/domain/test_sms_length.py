"""How many parts an SMS goes in: GSM-7 160/153, UCS-2 (Cyrillic) 70/67."""

import pytest

from clientcard_messaging.domain.sms import Alphabet, measure
from clientcard_messaging.domain.stop_words import is_stop


@pytest.mark.parametrize(
    ("text", "alphabet", "units", "parts"),
    [
        ("a" * 160, Alphabet.GSM7, 160, 1),
        ("a" * 161, Alphabet.GSM7, 161, 2),
        ("a" * 306, Alphabet.GSM7, 306, 2),
        ("a" * 307, Alphabet.GSM7, 307, 3),
        ("€" * 80, Alphabet.GSM7, 160, 1),  # an extension character takes two septets
        ("€" * 81, Alphabet.GSM7, 162, 2),
        ("ж" * 70, Alphabet.UCS2, 70, 1),
        ("ж" * 71, Alphabet.UCS2, 71, 2),
        ("ж" * 134, Alphabet.UCS2, 134, 2),
        ("ж" * 135, Alphabet.UCS2, 135, 3),
        ("Sale " + "ы", Alphabet.UCS2, 6, 1),  # one Cyrillic letter makes it all UCS-2
        ("🙂" * 35, Alphabet.UCS2, 70, 1),  # outside the BMP: two UTF-16 units each
    ],
)
def test_a_texts_alphabet_and_parts(text: str, alphabet: Alphabet, units: int, parts: int) -> None:
    measured = measure(text)
    assert (measured.alphabet, measured.units, measured.parts) == (alphabet, units, parts)


@pytest.mark.parametrize(
    ("text", "stops"),
    [("STOP", True), (" стоп ", True), ("Стоп!", True), ("/stop", True), ("stop it", False)],
)
def test_stop_words(text: str, stops: bool) -> None:
    assert is_stop(text) is stops
