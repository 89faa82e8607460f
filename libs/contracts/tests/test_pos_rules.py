from datetime import UTC, datetime, timedelta

from clientcard_contracts.pos import Problem, read_pos_receipt
from clientcard_contracts.pos_rules import check_receipt_consistency

from .pos_samples import RETURN, SALE, changed, without


def paths(document: dict[str, object], **options: datetime) -> list[str]:
    problems = check_receipt_consistency(read_pos_receipt(document), **options)
    return [problem.path for problem in problems]


def test_consistent_sales_and_returns_break_no_rule() -> None:
    assert check_receipt_consistency(read_pos_receipt(SALE)) == []
    assert check_receipt_consistency(read_pos_receipt(RETURN)) == []


def test_total_is_the_sum_of_item_amounts() -> None:
    problems = check_receipt_consistency(
        read_pos_receipt(changed(SALE, total="2500.00", paid="2400.00"))
    )
    assert problems == [Problem("total", "total 2500.00 is not the sum of item amounts 2400.00")]


def test_paid_and_bonuses_spent_make_the_total() -> None:
    assert paths(changed(SALE, paid="2400.00")) == ["paid"]
    assert paths(without(changed(SALE, paid="2400"), "bonusesSpent")) == []


def test_a_return_names_the_sale_it_returns() -> None:
    assert paths(without(RETURN, "originalNumber")) == ["originalNumber"]
    assert paths(changed(RETURN, originalNumber="")) == ["originalNumber"]
    assert paths(changed(RETURN, originalNumber=RETURN["number"])) == ["originalNumber"]
    assert paths(changed(SALE, originalNumber="000001")) == ["originalNumber"]


def test_a_phone_must_be_a_phone() -> None:
    assert paths(changed(SALE, customer={"phone": "8 (912) 345-67-89"})) == []
    assert paths(changed(SALE, customer={"phone": "call me"})) == ["customer.phone"]


def test_purchase_time_not_after_the_given_limit() -> None:
    purchased = datetime(2025, 3, 14, 12, 30, tzinfo=UTC)
    assert paths(SALE, not_after=purchased) == []
    assert paths(SALE, not_after=purchased - timedelta(seconds=1)) == ["purchasedAt"]


def test_every_broken_rule_is_reported_at_once() -> None:
    document = changed(RETURN, total="1.00", customer={"phone": "?"})
    assert paths(without(document, "originalNumber")) == [
        "total",
        "paid",
        "originalNumber",
        "customer.phone",
    ]


def test_each_line_is_its_price_times_its_quantity() -> None:
    line = {"name": "Сыр", "quantity": "0.345", "price": "999.99", "amount": "345.00"}
    assert paths(changed(SALE, items=[line], total="345.00", paid="345.00", bonusesSpent="0")) == []
    off = {**line, "amount": "340.00"}
    problems = check_receipt_consistency(
        read_pos_receipt(
            changed(SALE, items=[off], total="340.00", paid="340.00", bonusesSpent="0")
        )
    )
    assert [p.path for p in problems] == ["items[0].amount"]
    assert "345.00" in problems[0].message
    nothing = {"name": "Сыр", "quantity": "0", "price": "999.99", "amount": "0.00"}
    assert paths(changed(SALE, items=[nothing], total="0.00", paid="0.00", bonusesSpent="0")) == [
        "items[0].quantity"
    ]
