"""Ids read one way everywhere: a bad argument names itself, a bad reference finds nothing."""

import uuid

import pytest

from clientcard_kit.errors import InvalidInput
from clientcard_kit.graphql.ids import argument_id, argument_ids, reference_id


def test_an_id_reads_as_its_uuid_whatever_its_case() -> None:
    value = uuid.uuid4()
    assert argument_id(str(value).upper(), "customerId") == value
    assert reference_id(str(value)) == value
    assert argument_ids([str(value), str(value)], "segmentIds") == [value, value]


@pytest.mark.parametrize("bad", ["", "42", "not-an-id", "\x00", "7" * 40])
def test_an_argument_that_is_no_id_is_refused_naming_the_argument(bad: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        argument_id(bad, "customerId")
    assert refused.value.field == "customerId"
    assert reference_id(bad) is None


def test_one_bad_id_in_a_list_refuses_the_list() -> None:
    with pytest.raises(InvalidInput) as refused:
        argument_ids([str(uuid.uuid4()), "nope"], "segmentIds")
    assert refused.value.field == "segmentIds"
    assert "'nope'" in str(refused.value)
