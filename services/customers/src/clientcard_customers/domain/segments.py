"""Manual segments: names a merchant gives groups of customers to send mailings to."""

from clientcard_customers.domain.errors import InvalidInput

MAX_NAME_LENGTH = 100
MAX_SEGMENTS_PER_CALL = 100


def segment_name(raw: str) -> str:
    cleaned = " ".join(raw.split())
    if not cleaned:
        raise InvalidInput("name", "a segment needs a name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InvalidInput("name", f"at most {MAX_NAME_LENGTH} characters")
    return cleaned


def segment_ids_given(ids: list[str]) -> list[str]:
    """The distinct ids of an assign/unassign call, in the order given."""
    if len(ids) > MAX_SEGMENTS_PER_CALL:
        raise InvalidInput("segmentIds", f"at most {MAX_SEGMENTS_PER_CALL} segments at once")
    return list(dict.fromkeys(ids))
