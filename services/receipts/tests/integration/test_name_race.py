"""A receipt for a phone and the registration of that phone, in two transactions at once:
whichever commits first, the receipt ends linked to the customer, never waiting for ever."""

import asyncio
import uuid
from datetime import UTC, datetime

import pytest

from clientcard_contracts.pos import read_pos_receipt
from clientcard_kit.db import Database
from clientcard_receipts import commands
from clientcard_receipts.db.unit_of_work import SOURCE, ReceiptsUnitOfWork

from .conftest import phone, receipt, rows, tenant

pytestmark = pytest.mark.integration


def uow(db: Database, shop: str) -> ReceiptsUnitOfWork:
    return ReceiptsUnitOfWork.for_tenant(db, tenant=shop, source=SOURCE)


async def till(db: Database, shop: str, number: str, named: str) -> None:
    pos = read_pos_receipt(receipt(shop, number, {"phone": named}))
    async with uow(db, shop) as work:
        await commands.register_receipt(work, pos, datetime.now(UTC))


async def linked_to(db: Database, shop: str, number: str) -> tuple[object, object]:
    (row,) = await rows(
        db, shop, "SELECT customer_id, waiting_phone FROM receipts WHERE number = :n", n=number
    )
    return row.customer_id, row.waiting_phone


async def test_a_receipt_read_while_its_customer_is_being_learnt_waits_and_links(
    db: Database,
) -> None:
    shop, named, customer = tenant(), phone(), uuid.uuid4()
    async with uow(db, shop) as registration:
        # The registration's transaction holds the phone and knows the customer, uncommitted.
        await registration.known_customers.hold([customer], [named])
        await registration.known_customers.remember(customer, named, version=1)
        sale = asyncio.create_task(till(db, shop, "R-1", named))
        await asyncio.sleep(0.5)
        assert not sale.done()  # the till's transaction waits for the name
        assert await registration.customer_links.waiting_for(named, customer) == []
        await registration.commit()
    await sale
    assert await linked_to(db, shop, "R-1") == (customer, None)


async def test_a_registration_learnt_while_a_receipt_waits_uncommitted_links_it(
    db: Database,
) -> None:
    shop, named, customer = tenant(), phone(), uuid.uuid4()
    async with uow(db, shop) as sale:
        # The till's transaction holds the phone and stored the receipt waiting, uncommitted.
        await sale.known_customers.hold([], [named])
        learnt = asyncio.create_task(
            learn(db, shop, named, customer),
        )
        await asyncio.sleep(0.5)
        assert not learnt.done()
        pos = read_pos_receipt(receipt(shop, "R-2", {"phone": named}))
        await commands.register_receipts(sale, [pos], datetime.now(UTC))
    assert await learnt == 1
    assert await linked_to(db, shop, "R-2") == (customer, None)


async def learn(db: Database, shop: str, named: str, customer: uuid.UUID) -> int:
    async with uow(db, shop) as work:
        return await commands.learn_customer(work, customer, named, 1, datetime.now(UTC))
