from datetime import UTC, date, datetime

import pytest

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers.domain import profile
from clientcard_customers.domain.errors import InvalidInput

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "written", ["8 (912) 345-67-89", "+7 912 345 67 89", "89123456789", " +79123456789 "]
)
def test_phones_written_any_usual_way_become_one_e164_number(written: str) -> None:
    assert profile.phone(written) == "+79123456789"


@pytest.mark.parametrize("written", ["", "12345", "phone", "+7 912 345 67 89 00 11 22 33 44 55 66"])
def test_a_phone_that_is_not_one_is_refused_naming_the_field(written: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        profile.phone(written)
    assert refused.value.field == "phone"


def test_email_is_normalised_and_a_bad_one_refused() -> None:
    assert profile.email(" Anna.Petrova@Example.RU ") == "anna.petrova@example.ru"
    assert profile.email("  ") is None
    with pytest.raises(InvalidInput, match="email"):
        profile.email("anna@")


def test_birth_dates_in_the_future_or_implausibly_old_are_refused() -> None:
    assert profile.birth_date(date(1990, 5, 17), TODAY) == date(1990, 5, 17)
    with pytest.raises(InvalidInput, match="future"):
        profile.birth_date(date(2027, 1, 1), TODAY)
    with pytest.raises(InvalidInput, match="plausible"):
        profile.birth_date(date(1899, 12, 31), TODAY)


def test_names_are_trimmed_and_blank_means_none() -> None:
    assert profile.name("firstName", "  Анна   Мария ") == "Анна Мария"
    assert profile.name("firstName", "   ") is None
    with pytest.raises(InvalidInput, match="firstName"):
        profile.name("firstName", "x" * 101)


def test_questionnaire_answers_are_kept_as_entered_but_a_question_is_required() -> None:
    answers = profile.questionnaire([(" Любимая услуга ", " стрижка "), ("Откуда узнали", "")])
    assert [(a.question, a.answer) for a in answers] == [
        ("Любимая услуга", "стрижка"),
        ("Откуда узнали", ""),
    ]
    with pytest.raises(InvalidInput, match=r"questionnaire\.0\.question"):
        profile.questionnaire([("  ", "x")])
    with pytest.raises(InvalidInput, match="at most 50"):
        profile.questionnaire([("q", "a")] * 51)


def test_an_update_changes_only_the_fields_it_names() -> None:
    before = profile.profile(
        today=TODAY,
        email_address="a@example.ru",
        first_name="Анна",
        last_name="Петрова",
        born=None,
        gender=Gender.FEMALE,
    )
    after = profile.changes(TODAY, {"last_name": "Иванова", "email": None}).applied_to(before)
    assert (after.first_name, after.last_name, after.email) == ("Анна", "Иванова", None)
    assert after.gender is Gender.FEMALE


def test_registration_time_is_timezone_aware() -> None:
    registration = profile.Registration(
        registered_at=datetime(2026, 1, 1, tzinfo=UTC), source=RegistrationSource.MANUAL
    )
    assert registration.registered_at.tzinfo is not None


def test_an_update_names_the_phone_and_the_questionnaire_only_when_it_changes_them() -> None:
    untouched = profile.changes(TODAY, {"first_name": "Анна"})
    assert (untouched.phone, untouched.questionnaire) == (None, None)
    edited = profile.changes(
        TODAY, {}, new_phone="8 (903) 555-01-02", answers=[(" Мастер ", " Ольга ")]
    )
    assert edited.phone == "+79035550102"
    assert edited.questionnaire == (profile.QuestionnaireAnswer("Мастер", "Ольга"),)
    assert profile.changes(TODAY, {}, answers=[]).questionnaire == ()


def test_a_bad_new_phone_or_answer_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        profile.changes(TODAY, {}, new_phone="12")
    assert refused.value.field == "phone"
    with pytest.raises(InvalidInput) as refused:
        profile.changes(TODAY, {}, answers=[("", "да")])
    assert refused.value.field == "questionnaire.0.question"
