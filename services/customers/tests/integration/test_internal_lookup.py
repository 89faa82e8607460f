"""The question the other services ask: which of these ids and phones are customers now."""

import uuid
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from clientcard_customers.settings import CustomersSettings
from clientcard_kit.auth import issue_dev_token
from clientcard_kit.auth.internal import InternalTokens
from clientcard_kit.db import Database
from clientcard_kit.errors import NotFound
from clientcard_kit.internal import CustomerDirectory, ServiceClient
from clientcard_kit.internal.customers import LOOKUP_PATH
from clientcard_kit.settings import DEV_INTERNAL_SECRET

pytestmark = pytest.mark.integration

REGISTER = """mutation($p: String!) { registerCustomer(input: {phone: $p}) { id phone } }"""
DELETE = """mutation($id: ID!) { deleteCustomer(id: $id) }"""
MERGE = """mutation($s: ID!, $d: ID!) { mergeCustomers(survivorId: $s, duplicateId: $d) { id } }"""


def directory(app: Any, secret: str = DEV_INTERNAL_SECRET) -> CustomerDirectory:
    tokens = InternalTokens(secret, "receipts")
    transport = httpx.ASGITransport(app=app)
    return CustomerDirectory(
        ServiceClient("http://customers", tokens, timeout=5, transport=transport)
    )


async def test_the_directory_names_the_tenants_customers_by_id_and_phone(
    app: Any, as_tenant: Any
) -> None:
    salon, other = f"salon-{uuid.uuid4().hex[:8]}", f"salon-{uuid.uuid4().hex[:8]}"
    call = as_tenant(salon)
    anna = (await call.data(REGISTER, p="+79031112233"))["registerCustomer"]
    boris = (await call.data(REGISTER, p="+79031112244"))["registerCustomer"]
    phantom = uuid.uuid4()
    ask = directory(app)

    found = await ask.lookup(salon, ids=[uuid.UUID(anna["id"]), phantom], phones=["+79031112244"])
    assert found.ids == {uuid.UUID(anna["id"]), uuid.UUID(boris["id"])}
    assert found.by_phone == {
        "+79031112233": uuid.UUID(anna["id"]),
        "+79031112244": uuid.UUID(boris["id"]),
    }
    # Another merchant has none of them.
    assert (
        await ask.lookup(other, ids=[uuid.UUID(anna["id"])], phones=["+79031112233"])
    ).ids == set()
    # An erased customer is gone at once.
    await call.data(DELETE, id=anna["id"])
    assert (await ask.lookup(salon, ids=[uuid.UUID(anna["id"])])).ids == set()


async def test_an_id_merged_away_is_answered_with_the_card_it_ended_in(
    app: Any, as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    salon = f"salon-{uuid.uuid4().hex[:8]}"
    call = as_tenant(salon)
    first, second, last = [
        uuid.UUID((await call.data(REGISTER, p=f"+7903{n:07d}"))["registerCustomer"]["id"])
        for n in (uuid.uuid4().int % 10**7 for _ in range(3))
    ]
    await call.data(MERGE, s=str(second), d=str(first))
    await _finished(customers_settings, salon, first)  # as when every service has answered
    await call.data(MERGE, s=str(last), d=str(second))
    ask = directory(app)

    found = await ask.lookup(salon, ids=[first, second])
    assert found.survivors == {first: last, second: last}
    assert found.ids == {last}
    # The bonuses and messaging services refuse to write on a card merged away, in words.
    with pytest.raises(NotFound, match=f"customer {first} was merged into {last}"):
        await ask.require(salon, first)
    # Another merchant learns nothing of the merge.
    stranger = await ask.lookup(f"salon-{uuid.uuid4().hex[:8]}", ids=[first])
    assert (stranger.ids, stranger.survivors) == (set(), {})


async def _finished(settings: CustomersSettings, tenant: str, duplicate: uuid.UUID) -> None:
    db = Database(settings.database_url)
    try:
        async with db.transaction(tenant) as session:
            await session.execute(
                sa.text("UPDATE merges SET finished_at = now() WHERE duplicate_id = :d"),
                {"d": duplicate},
            )
    finally:
        await db.dispose()


async def test_only_another_services_token_opens_the_directory(app: Any) -> None:
    body = {"ids": [str(uuid.uuid4())], "phones": []}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://customers"
    ) as http:
        assert (await http.post(LOOKUP_PATH, json=body)).status_code == 401
        staff = issue_dev_token(tenant="salon", role="OWNER")
        refused = await http.post(
            LOOKUP_PATH, json=body, headers={"authorization": f"Bearer {staff}"}
        )
        assert refused.status_code == 401
        stranger = InternalTokens("a-secret-that-no-service-of-ours-shares", "receipts")
        forged = stranger.issue("salon")
        refused = await http.post(
            LOOKUP_PATH, json=body, headers={"authorization": f"Bearer {forged}"}
        )
        assert refused.status_code == 401
