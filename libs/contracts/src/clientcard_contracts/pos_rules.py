"""Rules a POS receipt must keep beyond its schema: amounts that add up, returns that say
what they return. Plain functions, so the receipts service checks the same on every path.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from clientcard_contracts.enums import ReceiptType
from clientcard_contracts.money import CENT
from clientcard_contracts.phone import InvalidPhone, normalize_phone
from clientcard_contracts.pos import PosReceipt, Problem

# Parsing a phone costs a fraction of a millisecond and a busy till names the same
# customers again and again, so a receipt consumer checking thousands a second remembers.
normalized_phone = lru_cache(maxsize=65536)(normalize_phone)
"""`normalize_phone` with the default region, remembering the numbers it has seen."""


def check_receipt_consistency(
    receipt: PosReceipt, *, not_after: datetime | None = None
) -> list[Problem]:
    """Every rule the receipt breaks; empty when it is consistent.

    `not_after` is the latest purchase time to accept (the receipts service passes its
    clock plus the skew it tolerates); without it the time is not checked.
    """
    problems: list[Problem] = list(_item_problems(receipt))
    items_total = sum((item.amount for item in receipt.items), Decimal(0))
    if receipt.total != items_total:
        problems.append(
            Problem("total", f"total {receipt.total} is not the sum of item amounts {items_total}")
        )
    if receipt.paid + receipt.bonuses_spent != receipt.total:
        problems.append(
            Problem(
                "paid",
                f"paid {receipt.paid} plus bonusesSpent {receipt.bonuses_spent} "
                f"is not the total {receipt.total}",
            )
        )
    problems.extend(_return_rules(receipt))
    if receipt.bonus_reservation_id is not None:
        if receipt.type is not ReceiptType.SALE:
            problems.append(Problem("bonusReservationId", "only a SALE spends a reservation"))
        elif receipt.bonuses_spent == 0:
            problems.append(
                Problem("bonusReservationId", "a sale spending a reservation has bonusesSpent")
            )
    if receipt.customer.phone is not None:
        try:
            normalized_phone(receipt.customer.phone)
        except InvalidPhone as exc:
            problems.append(Problem("customer.phone", str(exc)))
    if not_after is not None and receipt.purchased_at > not_after:
        problems.append(
            Problem("purchasedAt", f"{receipt.purchased_at.isoformat()} is in the future")
        )
    return problems


def _item_problems(receipt: PosReceipt) -> list[Problem]:
    """Each line is some quantity at a price: amount = price × quantity to the kopeck.

    A discount is given in the price, as fiscal receipts print it (the price after the
    discount), so a line never carries an amount its price and quantity do not make.
    """
    problems = []
    for index, item in enumerate(receipt.items):
        if item.quantity <= 0:
            problems.append(Problem(f"items[{index}].quantity", "must be above zero"))
            continue
        expected = (item.price * item.quantity).quantize(CENT, rounding=ROUND_HALF_UP)
        if item.amount != expected:
            problems.append(
                Problem(
                    f"items[{index}].amount",
                    f"{item.amount} is not price {item.price} × quantity {item.quantity} "
                    f"= {expected} (give a discount in the price)",
                )
            )
    return problems


def _return_rules(receipt: PosReceipt) -> list[Problem]:
    original = receipt.original_number
    if receipt.type is ReceiptType.RETURN:
        if not original:
            return [Problem("originalNumber", "a RETURN names the number of the SALE it returns")]
        if original == receipt.number:
            return [Problem("originalNumber", "a receipt cannot return itself")]
    elif original is not None:
        return [Problem("originalNumber", "only a RETURN names an original receipt")]
    return []
