"""Text that cannot be stored never reaches a resolver: BAD_USER_INPUT at the door."""

from hypothesis import given, settings
from hypothesis import strategies as st

from clientcard_contracts.text import text_problem
from clientcard_kit.graphql.input_text import unstorable

from .support import Subgraph, bearer, codes, messages


async def test_a_nul_byte_in_a_literal_is_refused_before_any_resolver(
    subgraph: Subgraph,
) -> None:
    # `missing` answers NOT_FOUND when it runs: BAD_USER_INPUT means it never did.
    body = await subgraph.post('{ missing(id: "an\\u0000id") { id } }', headers=bearer())
    assert codes(body) == ["BAD_USER_INPUT"]
    assert messages(body) == ["a string contains a NUL character"]


async def test_a_control_character_in_a_variable_is_refused_naming_the_variable(
    subgraph: Subgraph,
) -> None:
    body = await subgraph.post(
        "query($id: ID!) { missing(id: $id) { id } }", {"id": "9\x07"}, headers=bearer()
    )
    assert codes(body) == ["BAD_USER_INPUT"]
    assert messages(body) == ["$id: contains the control character U+0007"]
    fine = await subgraph.post(
        "query($id: ID!) { missing(id: $id) { id } }", {"id": "9\tи\n"}, headers=bearer()
    )
    assert codes(fine) == ["NOT_FOUND"]  # tabs, line breaks and any script are text


def test_nested_values_are_searched_with_their_path() -> None:
    value = {"input": {"items": [{"name": "ok"}, {"name": "bad\x00"}]}}
    assert unstorable(value, "$v") == "$v.input.items[1].name: contains a NUL character"
    assert unstorable({"a": ["x", 1, None, {"b": "y"}]}, "$v") is None


@settings(max_examples=500)
@given(st.text(alphabet=st.characters(codec=None, blacklist_categories=())))
def test_what_passes_can_be_stored_in_postgresql_text(text: str) -> None:
    if text_problem(text) is None:
        # UTF-8 encodable (no lone surrogate) and without NUL: what `text` accepts.
        assert "\x00" not in text.encode("utf-8").decode("utf-8")
    else:
        assert any(
            (ord(c) < 0x20 and c not in "\t\n\r") or c == "\x7f" or 0xD800 <= ord(c) <= 0xDFFF
            for c in text
        )
