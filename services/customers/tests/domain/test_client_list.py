import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from clientcard_customers.domain.client_list import (
    ClientFilter,
    ClientOrder,
    Direction,
    OrderField,
    Position,
    checked,
)
from clientcard_customers.domain.errors import InvalidInput


def test_an_empty_filter_is_empty() -> None:
    assert ClientFilter().is_empty()
    assert not ClientFilter(gender=None, purchases_min=0).is_empty()


def test_only_segment_is_a_single_segment_and_nothing_else() -> None:
    vip, regulars = uuid.uuid4(), uuid.uuid4()
    assert ClientFilter(segment_ids=(vip,)).only_segment() == vip
    assert ClientFilter(segment_ids=(vip, vip)).only_segment() == vip
    assert ClientFilter(segment_ids=(vip, regulars)).only_segment() is None
    assert ClientFilter(segment_ids=(vip,), purchases_min=1).only_segment() is None
    assert ClientFilter(segment_ids=()).only_segment() is None
    assert ClientFilter().only_segment() is None


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (ClientFilter(purchases_min=5, purchases_max=2), "filter.purchasesMin"),
        (ClientFilter(revenue_min=Decimal("10"), revenue_max=Decimal("1")), "filter.revenueMin"),
        (
            ClientFilter(
                registered_from=datetime(2026, 2, 1, tzinfo=UTC),
                registered_to=datetime(2026, 1, 1, tzinfo=UTC),
            ),
            "filter.registeredFrom",
        ),
        (ClientFilter(purchases_min=-1), "filter.purchasesMin"),
        (ClientFilter(nps_max=11), "filter.npsMax"),
        (ClientFilter(birthday_within_days=400), "filter.birthdayWithinDays"),
        (ClientFilter(search="x" * 101), "filter.search"),
        (ClientFilter(segment_ids=tuple(uuid.uuid4() for _ in range(101))), "filter.segmentIds"),
        (
            ClientFilter(not_in_segment_ids=tuple(uuid.uuid4() for _ in range(101))),
            "filter.notInSegmentIds",
        ),
        (ClientFilter(outlet_ids=tuple(f"outlet-{n}" for n in range(101))), "filter.outletIds"),
        (ClientFilter(tier_ids=tuple(uuid.uuid4() for _ in range(101))), "filter.tierIds"),
        (ClientFilter(birth_month=0), "filter.birthMonth"),
        (ClientFilter(bonuses_expiring_within_days=-1), "filter.bonusesExpiringWithinDays"),
        (ClientFilter(birth_month=13), "filter.birthMonth"),
    ],
)
def test_a_filter_that_makes_no_sense_is_refused_naming_the_field(
    bad: ClientFilter, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        checked(bad)
    assert refused.value.field == field


def test_search_text_is_tidied_and_blank_search_ignored() -> None:
    assert checked(ClientFilter(search="  Анна   Петрова ")).search == "Анна Петрова"
    assert checked(ClientFilter(search="   ")).search is None


@pytest.mark.parametrize(
    ("order", "value"),
    [
        (ClientOrder(OrderField.REGISTERED_AT, Direction.DESC), datetime(2026, 1, 2, tzinfo=UTC)),
        (ClientOrder(OrderField.REVENUE, Direction.ASC), Decimal("1250.50")),
        (ClientOrder(OrderField.PURCHASES, Direction.DESC), 12),
        (ClientOrder(OrderField.NAME, Direction.ASC), "петрова анна"),
        (ClientOrder(OrderField.AVERAGE_CHECK, Direction.DESC), Decimal("830.25")),
        (ClientOrder(OrderField.LAST_NPS_SCORE, Direction.ASC), -1),
        (ClientOrder(OrderField.NEXT_BIRTHDAY, Direction.ASC), 10_103),
    ],
)
def test_a_cursor_round_trips_its_position(order: ClientOrder, value: object) -> None:
    position = Position(order, value, uuid.uuid4())  # type: ignore[arg-type]
    assert Position.decode(position.encode(), order) == position


def test_a_cursor_of_another_order_or_garbage_is_refused() -> None:
    by_revenue = ClientOrder(OrderField.REVENUE, Direction.DESC)
    cursor = Position(by_revenue, Decimal("1.00"), uuid.uuid4()).encode()
    with pytest.raises(InvalidInput, match="another order"):
        Position.decode(cursor, ClientOrder(OrderField.REVENUE, Direction.ASC))
    with pytest.raises(InvalidInput, match="not a cursor"):
        Position.decode("definitely-not-a-cursor", by_revenue)
