"""Search as merchants type it: every spelling of a phone, names in any order, е = ё."""

import pytest

from clientcard_customers.domain.search import needles, searchable_text

SERGEY = searchable_text("Сергей", "Тарасов", "+79390991973", "s.tarasov@mail.ru")
OLGA = searchable_text("Ольга", "Фёдорова", "+79161234567", None)
LOOK_ALIKE = searchable_text("Сергеева", "Тарасова-Римская", "+79390991974", "tarasova@ya.ru")


def test_the_searchable_text_is_a_row_of_folded_words() -> None:
    assert SERGEY == (" сергей тарасов 79390991973 89390991973 s.tarasov@mail.ru s tarasov mail ru")
    assert OLGA == " ольга федорова 79161234567 89161234567"


@pytest.mark.parametrize(
    "typed",
    [
        "+79390991973",
        "79390991973",
        "89390991973",
        "9390991973",
        "+7 939 099-19-73",
        "8 (939) 099-19-73",
        "939-099",
        "0991973",
        "1973",
    ],
)
def test_a_phone_in_any_common_spelling_finds_the_client(typed: str) -> None:
    assert needles(typed).found_in(SERGEY)


@pytest.mark.parametrize("typed", ["89390991975", "939-098", "+7 916 099-19-73"])
def test_other_numbers_do_not(typed: str) -> None:
    assert not needles(typed).found_in(SERGEY)


@pytest.mark.parametrize(
    "typed",
    ["Сергей Тарасов", "Тарасов Сергей", "тарасов", "ТАРАС", "Серг Тар", "  Тарасов   Сергей "],
)
def test_names_in_any_order_each_word_the_start_of_a_name_part(typed: str) -> None:
    assert needles(typed).found_in(SERGEY)


@pytest.mark.parametrize("typed", ["арасов", "Сергеев Тарасов", "Тарасова", "Сергей Петров"])
def test_a_word_that_starts_no_name_part_does_not_match(typed: str) -> None:
    assert not needles(typed).found_in(SERGEY)


@pytest.mark.parametrize("typed", ["Федорова", "Фёдорова", "фЁдор", "Ольга Федорова"])
def test_e_and_yo_are_one_letter(typed: str) -> None:
    assert needles(typed).found_in(OLGA)


@pytest.mark.parametrize("typed", ["s.tarasov@", "mail.ru", "tarasov@mail", "tarasov", "mail"])
def test_email_fragments_find_the_client(typed: str) -> None:
    assert needles(typed).found_in(SERGEY)


def test_a_hyphenated_name_is_found_by_each_part() -> None:
    assert needles("Римская").found_in(LOOK_ALIKE)
    assert needles("тарасова-римская").found_in(LOOK_ALIKE)
    assert not needles("Римская").found_in(SERGEY)


def test_fewer_than_four_digits_are_no_phone_fragment() -> None:
    # "939" would match a third of any tenant's phones; as a word it must start one.
    assert not needles("939").found_in(SERGEY)
    assert needles("7939").found_in(SERGEY)


def test_punctuation_alone_is_looked_for_as_typed() -> None:
    assert needles("@").pieces == ("@",)
    assert needles("!!").pieces == ("!!",)
    assert not needles("!!").found_in(SERGEY)
