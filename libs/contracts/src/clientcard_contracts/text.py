"""What text and numbers the platform can store, decided in one place.

PostgreSQL's `text` cannot hold a NUL character, and UTF-8 cannot hold a lone surrogate
(JSON's `"\\ud800"`); other control characters can be stored but are never meant in a
name, a note or a receipt number, and only break what reads them later (a CSV export, a
till's display). Tabs and line breaks are text. Amounts are stored as `numeric(14, 2)`:
at most twelve integer digits. GraphQL inputs (the kit's `graphql.input_text`), POS
receipts over HTTP and Kafka (`clientcard_contracts.pos`) all ask this module, so the
same input is refused the same way on every path, before anything is written.
"""

import re
from decimal import Decimal

# C0 controls but tab, line feed and carriage return; DEL; the surrogate range.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# numeric(14, 2): twelve digits before the point.
MAX_AMOUNT_DIGITS = 12
MAX_AMOUNT = Decimal(10) ** MAX_AMOUNT_DIGITS - Decimal("0.01")


def text_problem(text: str) -> str | None:
    """Why the text cannot be stored, or None when it can."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    character = found.group()
    if character == "\x00":
        return "contains a NUL character"
    if "\ud800" <= character <= "\udfff":
        return "contains a lone UTF-16 surrogate, which is not text"
    return f"contains the control character U+{ord(character):04X}"
