"""A dynamic segment's filter as a document: the CustomerFilter's JSON, and back."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers.domain.client_list import ClientFilter, NpsCategory
from clientcard_customers.domain.errors import InvalidInput
from clientcard_customers.domain.segment_filters import from_text, to_document, to_text

EVERY_KIND = ClientFilter(
    search="анна",
    segment_ids=(uuid.UUID(int=1),),
    gender=Gender.FEMALE,
    registered_from=datetime(2026, 1, 1, tzinfo=UTC),
    purchases_min=2,
    revenue_min=Decimal("10.50"),
    messenger_status="ACTIVE",
    outlet_ids=("center",),
    registration_sources=(RegistrationSource.POS, RegistrationSource.WEB),
    has_messenger=False,
    birth_month=6,
    nps_category=NpsCategory.NONE,
)


def test_a_filter_round_trips_through_its_json() -> None:
    assert from_text(to_text(EVERY_KIND)) == EVERY_KIND


def test_the_document_uses_the_contracts_names_and_leaves_out_what_is_not_set() -> None:
    assert to_document(ClientFilter(bonus_balance_min=Decimal("500"), has_messenger=True)) == {
        "bonusBalanceMin": "500",
        "hasMessenger": True,
    }


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("{not json", "filter"),
        ("[1, 2]", "filter"),
        ('{"favouriteColour": "red"}', "filter"),
        ('{"birthMonth": 13}', "filter.birthMonth"),
        ('{"birthMonth": "6"}', "filter.birthMonth"),
        ('{"hasMessenger": 1}', "filter.hasMessenger"),
        ('{"gender": "SOMETIMES"}', "filter.gender"),
        ('{"segmentIds": "not a list"}', "filter.segmentIds"),
        ('{"registeredFrom": "2026-01-01T00:00:00"}', "filter.registeredFrom"),
    ],
)
def test_a_document_that_is_no_filter_is_refused_naming_the_field(text: str, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        from_text(text)
    assert refused.value.field == field
