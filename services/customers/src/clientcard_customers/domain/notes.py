"""Personal notes a merchant's staff keep on a customer."""

from clientcard_customers.domain.errors import InvalidInput

MAX_TEXT_LENGTH = 5000


def note_text(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise InvalidInput("text", "a note cannot be empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidInput("text", f"at most {MAX_TEXT_LENGTH} characters")
    return text
