"""Reading an NPS answer out of a customer's message, and the score a tenant gets.

An answer is a whole number from 0 to 10 at the start of the message, optionally with a
comment after it ("9", "10!", "7, долго ждал"); anything else is not an answer. NPS is the
percentage of promoters (9–10) minus the percentage of detractors (0–6).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

# A score not followed by more digits, a decimal part or a range ("9.5", "11", "5-7").
_ANSWER = re.compile(
    r"\s*(10|[0-9])(?![0-9])(?![.,][0-9])(?!\s*[-–]\s*[0-9])(?:\s*/\s*10)?[\s.,;:!)\-–—]*(.*)",
    re.S,
)
MAX_COMMENT = 2000
PROMOTER = 9  # and above
PASSIVE = 7  # up to PROMOTER - 1; below it, a detractor


@dataclass(frozen=True, slots=True)
class Answer:
    score: int
    comment: str | None


@dataclass(frozen=True, slots=True)
class Report:
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def responses(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def nps(self) -> float | None:
        if not self.responses:
            return None
        return round(100.0 * (self.promoters - self.detractors) / self.responses, 1)


def parse_answer(text: str) -> Answer | None:
    """The score and comment of a survey answer, or None when the text is not one."""
    match = _ANSWER.fullmatch(text)
    if match is None:
        return None
    return Answer(score=int(match.group(1)), comment=comment(match.group(2)))


def comment(text: str) -> str | None:
    cleaned = text.strip()
    return cleaned[:MAX_COMMENT] if cleaned else None


def group(score: int) -> str:
    if score >= PROMOTER:
        return "promoters"
    if score >= PASSIVE:
        return "passives"
    return "detractors"


def report(scores: Iterable[int]) -> Report:
    counts = {"promoters": 0, "passives": 0, "detractors": 0}
    for score in scores:
        counts[group(score)] += 1
    return Report(**counts)
