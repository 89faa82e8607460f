"""A customer's profile and registration: what is accepted, and in which form it is kept."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email

from clientcard_contracts.enums import Channel, Gender, RegistrationSource
from clientcard_contracts.phone import InvalidPhone, normalize_phone
from clientcard_customers.domain.errors import InvalidInput

MAX_NAME_LENGTH = 100
MAX_OUTLET_LENGTH = 64
MAX_ANSWERS = 50
MAX_QUESTION_LENGTH = 200
MAX_ANSWER_LENGTH = 1000
OLDEST_BIRTH_DATE = date(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class QuestionnaireAnswer:
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class Profile:
    """The personal data a merchant keeps on a customer (all of it erased on request)."""

    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    birth_date: date | None = None
    gender: Gender = Gender.UNKNOWN


@dataclass(frozen=True, slots=True)
class Registration:
    registered_at: datetime
    source: RegistrationSource
    channel: Channel | None = None
    outlet_id: str | None = None


@dataclass(frozen=True, slots=True)
class NewCustomer:
    phone: str
    profile: Profile
    registration: Registration
    questionnaire: tuple[QuestionnaireAnswer, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    """Fields an update names; a field left out keeps its value, an explicit null clears it.

    `values` are the profile's own fields; the phone (never cleared) and the questionnaire
    (replaced whole) are the customer's, None when the update leaves them as they are.
    """

    values: dict[str, object]
    phone: str | None = None
    questionnaire: tuple[QuestionnaireAnswer, ...] | None = None

    def applied_to(self, profile: Profile) -> Profile:
        return replace(profile, **self.values)  # type: ignore[arg-type]


def phone(raw: str) -> str:
    try:
        return normalize_phone(raw)
    except InvalidPhone as exc:
        raise InvalidInput("phone", str(exc)) from exc


def email(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    try:
        checked = validate_email(raw.strip(), check_deliverability=False)
        return str(checked.normalized).lower()
    except EmailNotValidError as exc:
        raise InvalidInput("email", f"{raw!r} is not an e-mail address: {exc}") from exc


def name(field_name: str, raw: str | None) -> str | None:
    if raw is None:
        return None
    cleaned = " ".join(raw.split())
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InvalidInput(field_name, f"at most {MAX_NAME_LENGTH} characters")
    return cleaned or None


def birth_date(raw: date | None, today: date) -> date | None:
    if raw is None:
        return None
    if raw > today:
        raise InvalidInput("birthDate", "a birth date cannot be in the future")
    if raw < OLDEST_BIRTH_DATE:
        raise InvalidInput("birthDate", f"a birth date before {OLDEST_BIRTH_DATE} is not plausible")
    return raw


def outlet(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    if len(raw.strip()) > MAX_OUTLET_LENGTH:
        raise InvalidInput("outletId", f"at most {MAX_OUTLET_LENGTH} characters")
    return raw.strip()


def questionnaire(answers: list[tuple[str, str]]) -> tuple[QuestionnaireAnswer, ...]:
    """The answers as entered, except for surrounding spaces; empty questions refused."""
    if len(answers) > MAX_ANSWERS:
        raise InvalidInput("questionnaire", f"at most {MAX_ANSWERS} answers")
    kept = []
    for index, (question, answer) in enumerate(answers):
        question, answer = question.strip(), answer.strip()
        if not question or len(question) > MAX_QUESTION_LENGTH:
            raise InvalidInput(
                f"questionnaire.{index}.question", f"1 to {MAX_QUESTION_LENGTH} characters"
            )
        if len(answer) > MAX_ANSWER_LENGTH:
            raise InvalidInput(
                f"questionnaire.{index}.answer", f"at most {MAX_ANSWER_LENGTH} characters"
            )
        kept.append(QuestionnaireAnswer(question, answer))
    return tuple(kept)


def profile(
    *,
    today: date,
    email_address: str | None,
    first_name: str | None,
    last_name: str | None,
    born: date | None,
    gender: Gender,
) -> Profile:
    return Profile(
        email=email(email_address),
        first_name=name("firstName", first_name),
        last_name=name("lastName", last_name),
        birth_date=birth_date(born, today),
        gender=gender,
    )


def changes(
    today: date,
    given: dict[str, object],
    *,
    new_phone: str | None = None,
    answers: list[tuple[str, str]] | None = None,
) -> ProfileChanges:
    """Validate the fields an update names (keys: email, first_name, last_name, ...), and
    the phone and questionnaire when it names them."""
    checks: dict[str, Callable[[object], object]] = {
        "email": lambda value: email(_text(value)),
        "first_name": lambda value: name("firstName", _text(value)),
        "last_name": lambda value: name("lastName", _text(value)),
        "birth_date": lambda value: birth_date(_date(value), today),
        "gender": lambda value: Gender(str(value)) if value is not None else Gender.UNKNOWN,
    }
    unknown = set(given) - set(checks)
    if unknown:
        raise ValueError(f"not profile fields: {', '.join(sorted(unknown))}")
    return ProfileChanges(
        {key: checks[key](value) for key, value in given.items()},
        phone=None if new_phone is None else phone(new_phone),
        questionnaire=None if answers is None else questionnaire(answers),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    raise InvalidInput("birthDate", "not a date")
