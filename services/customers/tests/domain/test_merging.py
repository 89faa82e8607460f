"""When a merge may start, what the survivor takes from the duplicate's profile, and the
services that still have to move their records."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers.domain import merging
from clientcard_customers.domain.errors import Conflict, InvalidInput
from clientcard_customers.domain.profile import Profile, QuestionnaireAnswer, Registration
from clientcard_customers.domain.records import Customer, Figures

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
SURVIVOR, DUPLICATE, OTHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def _merge(duplicate: uuid.UUID, survivor: uuid.UUID, *pending: str) -> merging.Merge:
    return merging.Merge(duplicate, survivor, pending or merging.STEPS, NOW)


def _start(**known: object) -> merging.Start:
    facts: dict[str, object] = {
        "of_duplicate": None,
        "of_survivor": None,
        "unfinished_into_duplicate": False,
        **known,
    }
    return merging.start(SURVIVOR, DUPLICATE, **facts)  # type: ignore[arg-type]


def test_two_distinct_cards_never_merged_start_a_new_merge() -> None:
    assert _start() is merging.Start.NEW


def test_a_card_is_not_merged_into_itself() -> None:
    with pytest.raises(InvalidInput) as refused:
        merging.start(
            SURVIVOR,
            SURVIVOR,
            of_duplicate=None,
            of_survivor=None,
            unfinished_into_duplicate=False,
        )
    assert refused.value.field == "duplicateId"


def test_asking_again_for_the_same_merge_answers_without_a_second_merge() -> None:
    assert _start(of_duplicate=_merge(DUPLICATE, SURVIVOR)) is merging.Start.MADE
    finished = replace(_merge(DUPLICATE, SURVIVOR), pending=(), finished_at=NOW)
    assert _start(of_duplicate=finished) is merging.Start.MADE


@pytest.mark.parametrize(
    ("known", "reason"),
    [
        ({"of_duplicate": _merge(DUPLICATE, OTHER)}, "ALREADY_MERGED"),
        ({"of_survivor": _merge(SURVIVOR, OTHER)}, "SURVIVOR_MERGED_AWAY"),
        ({"unfinished_into_duplicate": True}, "MERGE_IN_PROGRESS"),
    ],
)
def test_merges_that_would_lose_or_split_records_are_refused_with_a_reason(
    known: dict[str, object], reason: str
) -> None:
    with pytest.raises(Conflict) as refused:
        _start(**known)
    assert refused.value.extensions["reason"] == reason


def test_each_service_is_ticked_off_once_and_the_last_one_finishes_the_merge() -> None:
    merge = _merge(DUPLICATE, SURVIVOR)
    after_bonuses = merging.step_done(merge, "bonuses", NOW)
    assert after_bonuses is not None
    assert after_bonuses.pending == ("messaging", "receipts")
    assert not after_bonuses.finished
    assert merging.step_done(after_bonuses, "bonuses", NOW) is None
    after_messaging = merging.step_done(after_bonuses, "messaging", NOW)
    assert after_messaging is not None
    done = merging.step_done(after_messaging, "receipts", NOW)
    assert done is not None
    assert done.pending == ()
    assert done.finished_at == NOW


def _card(profile: Profile, *answers: tuple[str, str]) -> Customer:
    return Customer(
        id=uuid.uuid4(),
        tenant_id="salon",
        phone="+79120000000",
        profile=profile,
        registration=Registration(NOW, RegistrationSource.MANUAL),
        questionnaire=tuple(QuestionnaireAnswer(q, a) for q, a in answers),
        figures=Figures(),
        version=1,
        updated_at=NOW,
    )


def test_the_survivor_fills_only_what_it_lacks_from_the_duplicate() -> None:
    survivor = _card(Profile(first_name="Анна", gender=Gender.UNKNOWN), ("Мастер", "Ольга"))
    duplicate = _card(
        Profile(
            email="anna@example.org",
            first_name="Аня",
            last_name="Смирнова",
            birth_date=date(1990, 5, 17),
            gender=Gender.FEMALE,
        ),
        ("Мастер", "Ирина"),
        ("Аллергия", "нет"),
    )
    filled = merging.survivor_profile(survivor, duplicate)
    assert filled.profile == Profile(
        email="anna@example.org",
        first_name="Анна",
        last_name="Смирнова",
        birth_date=date(1990, 5, 17),
        gender=Gender.FEMALE,
    )
    assert filled.questionnaire == (
        QuestionnaireAnswer("Мастер", "Ольга"),
        QuestionnaireAnswer("Аллергия", "нет"),
    )
    assert (filled.id, filled.phone) == (survivor.id, survivor.phone)


def test_a_full_survivor_keeps_its_profile_unchanged() -> None:
    survivor = _card(Profile("a@example.org", "Анна", "Ли", date(1990, 1, 1), Gender.FEMALE))
    duplicate = _card(Profile("b@example.org", "Аня", "Ким", date(1991, 2, 2), Gender.MALE))
    assert merging.survivor_profile(survivor, duplicate) == survivor
