"""The receipt rules that need no database: shares of returns, names of customers, time."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from clientcard_contracts.enums import ReceiptType
from clientcard_contracts.pos import PosCustomer, PosReceipt, Problem
from clientcard_receipts.domain import rules
from clientcard_receipts.domain.records import Receipt, ReceiptItem

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def pos_receipt(**changes: object) -> PosReceipt:
    document: dict[str, object] = {
        "tenantId": "t",
        "posId": "pos-1",
        "outletId": "shop-1",
        "number": "R-1",
        "type": "SALE",
        "purchasedAt": NOW.isoformat(),
        "customer": {"phone": "+79120001122"},
        "items": [{"name": "Tea", "quantity": "1.5", "price": "100.00", "amount": "150.00"}],
        "total": "150.00",
        "paid": "150.00",
    }
    document.update(changes)
    return PosReceipt.model_validate(document)


def sale(total: str = "300.00", returned: str = "0") -> Receipt:
    return Receipt(
        id=uuid.uuid4(),
        tenant_id="t",
        pos_id="pos-1",
        outlet_id="shop-1",
        number="S-1",
        type=ReceiptType.SALE,
        purchased_at=NOW,
        items=(ReceiptItem(None, "Tea", Decimal(3), Decimal(100), Decimal(total)),),
        total=Decimal(total),
        paid=Decimal(total),
        bonuses_spent=Decimal(0),
        customer_id=None,
        waiting_phone=None,
        registered_at=NOW,
        returned_total=Decimal(returned),
    )


def return_of(total: str) -> PosReceipt:
    return pos_receipt(
        type="RETURN",
        number="X-1",
        originalNumber="S-1",
        items=[{"name": "Tea", "quantity": "1", "price": total, "amount": total}],
        total=total,
        paid=total,
    )


def test_a_consistent_receipt_has_no_problems() -> None:
    assert rules.consistency_problems(pos_receipt(), NOW) == []


def test_a_receipt_from_the_far_future_is_refused_and_clock_skew_is_tolerated() -> None:
    near = pos_receipt(purchasedAt=(NOW + timedelta(minutes=5)).isoformat())
    far = pos_receipt(purchasedAt=(NOW + timedelta(hours=2)).isoformat())
    assert rules.consistency_problems(near, NOW) == []
    assert [p.path for p in rules.consistency_problems(far, NOW)] == ["purchasedAt"]


def test_amounts_that_do_not_add_up_are_each_named() -> None:
    bad = pos_receipt(total="151.00", paid="100.00")
    assert {p.path for p in rules.consistency_problems(bad, NOW)} == {"total", "paid"}


def test_a_customer_is_named_by_uuid_or_by_a_phone_in_e164() -> None:
    customer_id = uuid.uuid4()
    assert rules.customer_name(PosCustomer(id=str(customer_id))) == rules.CustomerName(
        id=customer_id
    )
    assert rules.customer_name(PosCustomer(phone="8 912 000-11-22")) == rules.CustomerName(
        phone="+79120001122"
    )
    assert isinstance(rules.customer_name(PosCustomer(id="42")), Problem)
    assert isinstance(rules.customer_name(PosCustomer(phone="12")), Problem)


def test_a_return_needs_its_sale_and_cannot_return_more_than_is_left() -> None:
    assert [p.path for p in rules.return_problems(return_of("100.00"), None)] == ["originalNumber"]
    assert rules.return_problems(return_of("100.00"), sale(returned="200.00")) == []
    over = rules.return_problems(return_of("100.01"), sale(returned="200.00"))
    assert [p.path for p in over] == ["total"]
    a_return = replace(sale(), type=ReceiptType.RETURN)
    assert "not a SALE" in rules.return_problems(return_of("1.00"), a_return)[0].message


def test_shares_of_partial_returns_reach_exactly_one() -> None:
    first = rules.returned_shares(sale("300.00"), Decimal("100.00"))
    assert (first.this_return, first.so_far) == (Decimal("0.333333"), Decimal("0.333333"))
    second = rules.returned_shares(sale("300.00", returned="100.00"), Decimal("100.00"))
    assert second.so_far == Decimal("0.666667")
    last = rules.returned_shares(sale("300.00", returned="200.00"), Decimal("100.00"))
    assert (last.this_return, last.so_far) == (Decimal("0.333333"), Decimal(1))


def test_a_return_of_a_free_sale_returns_all_of_it() -> None:
    shares = rules.returned_shares(sale("0.00"), Decimal("0.00"))
    assert (shares.this_return, shares.so_far) == (Decimal(1), Decimal(1))
