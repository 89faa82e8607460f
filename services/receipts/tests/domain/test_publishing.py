"""Events built without a second validation still pass the contract's schema unchanged."""

import uuid
from dataclasses import replace
from decimal import Decimal

from clientcard_contracts.enums import ReceiptType
from clientcard_contracts.events.receipts import ReceiptRegistered
from clientcard_receipts.commands.publishing import receipt_registered
from clientcard_receipts.domain import rules
from clientcard_receipts.domain.records import ReceiptItem
from clientcard_receipts.domain.stats import NO_PURCHASES, StatsChange

from .test_rules import NOW, sale


def round_trip(event: ReceiptRegistered) -> None:
    document = event.model_dump(mode="json", by_alias=True)
    assert (
        ReceiptRegistered.model_validate(document).model_dump(mode="json", by_alias=True)
        == document
    )


def test_a_sale_event_passes_the_schema() -> None:
    weighed = ReceiptItem("S-1", "Сыр", Decimal("0.345"), Decimal("1000.00"), Decimal("345.00"))
    sold = replace(sale("345.00"), items=(weighed,))
    stats = NO_PURCHASES.after(StatsChange.of(sold))
    event = receipt_registered(sold, uuid.uuid4(), stats, NOW)
    round_trip(event)
    document = event.model_dump(mode="json", by_alias=True)
    assert document["items"][0]["quantity"] == "0.345"
    assert document["purchaseStats"]["averageCheck"] == "345.00"
    assert document["returnedShare"] is None


def test_a_return_event_passes_the_schema_with_its_shares() -> None:
    original = sale("300.00", returned="200.00")
    shares = rules.returned_shares(original, Decimal("100.00"))
    returned = replace(
        sale("100.00"),
        type=ReceiptType.RETURN,
        original_receipt_id=original.id,
        returned_share=shares.this_return,
        returned_share_so_far=shares.so_far,
    )
    stats = NO_PURCHASES.after(StatsChange.of(original)).after(StatsChange.of(returned))
    event = receipt_registered(returned, uuid.uuid4(), stats, NOW)
    round_trip(event)
    document = event.model_dump(mode="json", by_alias=True)
    assert (document["returnedShare"], document["returnedShareSoFar"]) == ("0.333333", "1.000000")
    assert document["purchaseStats"]["revenue"] == "200.00"
