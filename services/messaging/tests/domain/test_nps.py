import pytest

from clientcard_messaging.domain import nps


@pytest.mark.parametrize(
    ("text", "score", "comment"),
    [
        ("9", 9, None),
        (" 10! ", 10, None),
        ("0", 0, None),
        ("7, долго ждал", 7, "долго ждал"),
        ("10/10 супер", 10, "супер"),
        ("8 - хорошо", 8, "хорошо"),
        ("5 звёзд", 5, "звёзд"),
    ],
)
def test_answers_are_a_score_with_an_optional_comment(
    text: str, score: int, comment: str | None
) -> None:
    assert nps.parse_answer(text) == nps.Answer(score, comment)


@pytest.mark.parametrize("text", ["11", "100", "9.5", "1-2", "привет", "", "десять"])
def test_anything_else_is_not_an_answer(text: str) -> None:
    assert nps.parse_answer(text) is None


def test_nps_is_promoters_minus_detractors_in_percent() -> None:
    report = nps.report([10, 9, 9, 8, 7, 6, 0])
    assert (report.promoters, report.passives, report.detractors, report.responses) == (3, 2, 2, 7)
    assert report.nps == 14.3
    assert nps.report([]).nps is None
    assert nps.report([3]).nps == -100.0
