"""The receipts part of the contract's types, built from the service's records."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

import strawberry

from clientcard_contracts.enums import ReceiptType
from clientcard_kit.graphql import Connection, page_request
from clientcard_kit.graphql.entities import KeyedById
from clientcard_kit.graphql.enums import (
    ReceiptTypeType,
)
from clientcard_kit.graphql.ids import reference_id
from clientcard_kit.graphql.records import from_record
from clientcard_receipts.db.receipts import ReceiptFilter
from clientcard_receipts.domain import records
from clientcard_receipts.domain.stats import NO_PURCHASES
from clientcard_receipts.domain.stats import PurchaseStats as Stats
from clientcard_receipts.entrypoints.graphql import loaders
from clientcard_receipts.entrypoints.graphql.context import Info

RECEIPTS_PAGE = 20


@strawberry.type
class PurchaseStats:
    purchases: int
    returns: int
    revenue: Decimal
    average_check: Decimal
    first_purchase_at: datetime | None
    last_purchase_at: datetime | None

    @classmethod
    def of(cls, stats: Stats) -> "PurchaseStats":
        return from_record(
            cls,
            stats,
            first_purchase_at=_utc(stats.first_purchase_at),
            last_purchase_at=_utc(stats.last_purchase_at),
        )


@strawberry.type
class ReceiptItem:
    sku: str | None
    name: str
    quantity: Decimal
    price: Decimal
    amount: Decimal


@strawberry.federation.type(keys=["id"])
class Receipt:
    # Plain values, not resolvers: a page of receipts is mostly these leaves, and a plain
    # field costs graphql-core a fraction of a resolver (clientcard_kit.graphql.leaf_fields).
    id: strawberry.ID
    number: str
    pos_id: str
    outlet_id: str
    type: ReceiptTypeType  # type: ignore[valid-type]
    purchased_at: datetime
    total: Decimal
    paid: Decimal
    # Shared with the bonuses service, whose ledger decides them: this service keeps a
    # copy from the ledger's events so that a page of receipts comes from here alone.
    bonuses_accrued: Decimal | None = strawberry.federation.field(shareable=True)
    bonuses_spent: Decimal | None = strawberry.federation.field(shareable=True)
    record: strawberry.Private[records.Receipt]

    @classmethod
    def of(cls, receipt: records.Receipt) -> "Receipt":
        return from_record(
            cls,
            receipt,
            id=strawberry.ID(str(receipt.id)),
            purchased_at=receipt.purchased_at.astimezone(UTC),
            # The ledger's bonuses, not what the till asked to spend (`record.bonuses_spent`).
            bonuses_accrued=receipt.ledger_accrued,
            bonuses_spent=receipt.ledger_spent,
            record=receipt,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Receipt | None":
        receipt_id = reference_id(id)
        found = await loaders.receipts(info).load(receipt_id) if receipt_id else None
        return cls.of(found) if found else None

    @strawberry.field
    def items(self) -> list[ReceiptItem]:
        return [
            ReceiptItem(
                sku=item.sku,
                name=item.name,
                quantity=item.quantity,
                price=item.price,
                amount=item.amount,
            )
            for item in self.record.items
        ]

    @strawberry.field
    def customer(self) -> "Customer | None":
        customer_id = self.record.customer_id
        return Customer(id=strawberry.ID(str(customer_id))) if customer_id else None

    @strawberry.field
    async def original_receipt(self, info: Info) -> "Receipt | None":
        original_id = self.record.original_receipt_id
        if original_id is None:
            return None
        found = await loaders.receipts(info).load(original_id)
        return Receipt.of(found) if found else None


@strawberry.federation.type(keys=["id"])
class Customer(KeyedById):
    """Any id is a customer here: one without receipts has empty figures."""

    @strawberry.field
    async def purchase_stats(self, info: Info) -> PurchaseStats | None:
        customer_id = reference_id(self.id)
        if customer_id is None:
            return PurchaseStats.of(NO_PURCHASES)
        return PurchaseStats.of(await loaders.purchase_stats(info).load(customer_id))

    @strawberry.field
    async def receipts(
        self,
        info: Info,
        first: int | None = RECEIPTS_PAGE,
        # No defaults printed, as the contract declares them (UNSET reads as not given).
        after: str | None = strawberry.UNSET,
        type: ReceiptTypeType | None = strawberry.UNSET,  # type: ignore[valid-type]
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = strawberry.UNSET,
        to: datetime | None = strawberry.UNSET,
    ) -> Connection[Receipt] | None:
        page = page_request(first, after or None, default=RECEIPTS_PAGE, key=(datetime, uuid.UUID))
        wanted = ReceiptFilter(
            type=ReceiptType(type) if type else None,
            purchased_from=from_ or None,
            purchased_to=to or None,
        )
        customer_id = reference_id(self.id)
        if customer_id is None:
            return page.connection([], node=Receipt.of, key=_position, total=0)
        position = (page.after[0], page.after[1]) if page.after else None
        rows = await loaders.receipt_pages(info, wanted, page.limit, position).load(customer_id)
        return page.connection(
            rows,
            node=Receipt.of,
            key=_position,
            total=lambda: loaders.receipt_counts(info, wanted).load(customer_id),
        )


@strawberry.type
class PosApiKey:
    id: strawberry.ID
    outlet_id: str
    pos_id: str
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, key: records.PosApiKey) -> "PosApiKey":
        return cls(
            id=strawberry.ID(str(key.id)),
            outlet_id=key.outlet_id,
            pos_id=key.pos_id,
            created_at=key.created_at.astimezone(UTC),
            revoked_at=_utc(key.revoked_at),
        )


@strawberry.type
class CreatedPosApiKey:
    api_key: PosApiKey
    secret: str = strawberry.field(description="Shown once: only its hash is kept.")


def _position(receipt: records.Receipt) -> tuple[datetime, uuid.UUID]:
    return receipt.purchased_at, receipt.id


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment else None
