"""The bonuses subgraph end to end: program, manual operations, the card, roles, tenants."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_bonuses.commands.expiry import burn_expired
from clientcard_kit.db import Database
from clientcard_kit.testing import statements_sent

from .support import (
    account,
    customer_ref,
    error_code,
    ledger_disagreements,
    outbox_events,
    tenant,
)

pytestmark = pytest.mark.integration

PROGRAM = "{ loyaltyProgram { accrualPercent maxRedeemPercent expiryDays welcomeBonus } }"
UPDATE = """mutation($input: LoyaltyProgramInput!) { updateLoyaltyProgram(input: $input) {
  accrualPercent maxRedeemPercent expiryDays welcomeBonus } }"""
ACCRUE = """mutation($c: ID!, $a: Decimal!, $m: String, $r: ID) {
  accrueBonuses(customerId: $c, amount: $a, comment: $m, requestId: $r) {
    id type event amount balanceAfter comment author occurredAt } }"""
WRITE_OFF = """mutation($c: ID!, $a: Decimal!, $m: String) {
  writeOffBonuses(customerId: $c, amount: $a, comment: $m) { type event amount balanceAfter } }"""
QUOTE = """query($c: ID!, $t: Decimal!) { bonusQuote(customerId: $c, total: $t) {
  balance maxRedeemable accrualIfNoRedeem } }"""


async def test_the_program_has_defaults_and_only_the_owner_changes_it(as_tenant: Any) -> None:
    name = tenant()
    owner, manager = as_tenant(name, "OWNER"), as_tenant(name, "MANAGER")
    assert (await manager(PROGRAM))["data"]["loyaltyProgram"] == {
        "accrualPercent": "5.00",
        "maxRedeemPercent": "30.00",
        "expiryDays": 365,
        "welcomeBonus": "0.00",
    }
    refused = await manager(UPDATE, input={"accrualPercent": "10.00"})
    assert error_code(refused) == "FORBIDDEN"
    changed = await owner(UPDATE, input={"accrualPercent": "10.00", "expiryDays": None})
    assert changed["data"]["updateLoyaltyProgram"] == {
        "accrualPercent": "10.00",
        "maxRedeemPercent": "30.00",
        "expiryDays": None,
        "welcomeBonus": "0.00",
    }
    bad = await owner(UPDATE, input={"maxRedeemPercent": "150.00", "welcomeBonus": "50.00"})
    assert error_code(bad) == "BAD_USER_INPUT"
    assert bad["errors"][0]["extensions"]["field"] == "input.maxRedeemPercent"
    # Nothing of the refused change was kept, not even its valid part.
    assert (await owner(PROGRAM))["data"]["loyaltyProgram"]["welcomeBonus"] == "0.00"
    other = await as_tenant(tenant(), "VIEWER")(PROGRAM)
    assert other["data"]["loyaltyProgram"]["accrualPercent"] == "5.00"


async def test_manual_operations_fill_the_card_newest_first(
    as_tenant: Any, db: Database, customers_service: Any
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer = str(await customers_service.register(name))
    accrued = (await call(ACCRUE, c=customer, a="150.00", m="  за отзыв  "))["data"]
    assert accrued["accrueBonuses"]["balanceAfter"] == "150.00"
    assert accrued["accrueBonuses"]["comment"] == "за отзыв"
    assert accrued["accrueBonuses"]["author"] == f"manager@{name}"
    await call(ACCRUE, c=customer, a="50.00")
    spent = (await call(WRITE_OFF, c=customer, a="120.00", m="подарок"))["data"]
    assert spent["writeOffBonuses"] == {
        "type": "WRITE_OFF",
        "event": "MANUAL",
        "amount": "120.00",
        "balanceAfter": "80.00",
    }

    card = await account(call, customer, first=2)
    assert (card["balance"], card["accrued"], card["spent"], card["expired"]) == (
        "80.00",
        "200.00",
        "120.00",
        "0.00",
    )
    # The oldest lot gave 120.00 of its 150.00 to the write-off; its rest burns first.
    assert card["nextExpiration"]["amount"] == "30.00"
    operations = card["operations"]
    assert operations["totalCount"] == 3
    assert [edge["node"]["amount"] for edge in operations["edges"]] == ["120.00", "50.00"]
    assert operations["pageInfo"]["hasNextPage"] is True
    rest = await account(call, customer, first=2, after=operations["pageInfo"]["endCursor"])
    assert [edge["node"]["comment"] for edge in rest["operations"]["edges"]] == ["за отзыв"]
    write_offs = await account(call, customer, type="WRITE_OFF")
    assert write_offs["operations"]["totalCount"] == 1
    assert await ledger_disagreements(db, name) == []


async def test_a_write_off_over_the_balance_is_refused_and_writes_nothing(
    as_tenant: Any, db: Database, customers_service: Any
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer = str(await customers_service.register(name))
    await call(ACCRUE, c=customer, a="30.00")
    refused = await call(WRITE_OFF, c=customer, a="30.01")
    assert error_code(refused) == "BAD_USER_INPUT"
    assert refused["errors"][0]["extensions"]["field"] == "amount"
    assert "30.00" in refused["errors"][0]["message"]
    for bad in ("0.00", "-5.00", "1.001"):
        assert error_code(await call(ACCRUE, c=customer, a=bad)) == "BAD_USER_INPUT"
    assert error_code(await call(ACCRUE, c="not-an-id", a="1.00")) == "BAD_USER_INPUT"
    card = await account(call, customer)
    assert (card["balance"], card["operations"]["totalCount"]) == ("30.00", 1)
    # An id that is no customer's is not found, and refusing it created no account.
    stranger = str(uuid.uuid4())
    assert error_code(await call(WRITE_OFF, c=stranger, a="1.00")) == "NOT_FOUND"
    assert error_code(await call(ACCRUE, c=stranger, a="1.00")) == "NOT_FOUND"
    async with db.transaction(name) as session:
        accounts = await session.scalar(sa.text("SELECT count(*) FROM bonus_accounts"))
    assert accounts == 1


async def test_a_request_id_makes_a_retried_accrual_return_the_first(
    as_tenant: Any, customers_service: Any
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer = str(await customers_service.register(name))
    first = (await call(ACCRUE, c=customer, a="10.00", r="visit-42"))["data"]["accrueBonuses"]
    again = (await call(ACCRUE, c=customer, a="10.00", r="visit-42"))["data"]["accrueBonuses"]
    assert again == first
    assert error_code(await call(ACCRUE, c=customer, a="1.00", r="x" * 65)) == "BAD_USER_INPUT"
    card = await account(call, customer)
    assert (card["balance"], card["operations"]["totalCount"]) == ("10.00", 1)


async def test_a_viewer_reads_and_a_manager_cannot_change_settings(
    as_tenant: Any, customers_service: Any
) -> None:
    name = tenant()
    viewer = as_tenant(name, "VIEWER")
    customer = str(await customers_service.register(name))
    assert error_code(await viewer(ACCRUE, c=customer, a="10.00")) == "FORBIDDEN"
    assert error_code(await viewer(WRITE_OFF, c=customer, a="10.00")) == "FORBIDDEN"
    assert (await account(viewer, customer))["balance"] == "0.00"
    owner = as_tenant(name, "OWNER")
    assert "errors" not in await owner(ACCRUE, c=customer, a="10.00")


async def test_another_tenant_sees_nothing_of_an_account(
    as_tenant: Any, customers_service: Any
) -> None:
    name = tenant()
    owner, stranger = as_tenant(name), as_tenant(tenant())
    customer = str(await customers_service.register(name))
    await owner(ACCRUE, c=customer, a="99.00")
    card = await account(stranger, customer)
    assert (card["balance"], card["operations"]["totalCount"]) == ("0.00", 0)
    # Another merchant's customer is no customer of this one.
    assert error_code(await stranger(WRITE_OFF, c=customer, a="1.00")) == "NOT_FOUND"
    assert (await account(owner, customer))["balance"] == "99.00"


async def test_the_quote_for_the_till(as_tenant: Any, customers_service: Any) -> None:
    name = tenant()
    call = as_tenant(name)
    customer = str(await customers_service.register(name))
    await call(ACCRUE, c=customer, a="500.00")
    quote = (await call(QUOTE, c=customer, t="1000.00"))["data"]["bonusQuote"]
    assert quote == {"balance": "500.00", "maxRedeemable": "300.00", "accrualIfNoRedeem": "50.00"}
    assert error_code(await call(QUOTE, c=customer, t="-1.00")) == "BAD_USER_INPUT"


async def test_accounts_and_receipts_of_a_batch_load_in_one_query_each(
    as_tenant: Any, app: Any, customers_service: Any
) -> None:
    name = tenant()
    call = as_tenant(name)
    customers = [str(await customers_service.register(name)) for _ in range(5)]
    for customer in customers:
        await call(ACCRUE, c=customer, a="10.00")
    statements: list[tuple[int, str]] = []

    def seen(connection: Any, *args: Any) -> None:
        statements.append((id(connection.connection.dbapi_connection), str(args[1])))

    with statements_sent(app.state.runtime.db, seen):
        result = await call(
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { bonuses {"
            " balance nextExpiration { amount } operations { totalCount edges { node { amount"
            " } } } } } ... on Receipt { bonusesAccrued bonusesSpent } } }",
            r=[customer_ref(customer) for customer in customers]
            + [{"__typename": "Receipt", "id": str(uuid.uuid4())} for _ in range(3)],
        )
    entities = result["data"]["_entities"]
    assert [e["bonuses"]["balance"] for e in entities[:5]] == ["10.00"] * 5
    assert entities[5:] == [{"bonusesAccrued": "0.00", "bonusesSpent": "0.00"}] * 3
    # The request's reads, on its one read connection (consumers, the relay and the jobs
    # use the database meanwhile, on other connections): totals, next expirations, a
    # page of operations, their count, the receipts' bonuses.
    [request] = {conn for conn, statement in statements if "GROUP BY bonus_operations" in statement}
    reads = [
        statement
        for conn, statement in statements
        if conn == request and statement.lstrip().startswith("SELECT") and "bonus" in statement
    ]
    assert len(reads) == 5, reads


async def test_expired_lots_burn_oldest_first_and_show_on_the_card(
    as_tenant: Any, db: Database, customers_service: Any
) -> None:
    name = tenant()
    call, owner = as_tenant(name), as_tenant(name, "OWNER")
    customer = str(await customers_service.register(name))
    await call(ACCRUE, c=customer, a="100.00")
    await owner(UPDATE, input={"expiryDays": None})
    await call(ACCRUE, c=customer, a="40.00")  # never expires
    await call(WRITE_OFF, c=customer, a="30.00")  # taken from the older lot
    await burn_expired(db, datetime.now(UTC) + timedelta(days=366))

    card = await account(call, customer, type="EXPIRATION")
    assert (card["balance"], card["expired"], card["spent"]) == ("40.00", "70.00", "30.00")
    assert card["nextExpiration"] is None
    [burned] = [edge["node"] for edge in card["operations"]["edges"]]
    assert (burned["event"], burned["amount"], burned["balanceAfter"]) == (
        "EXPIRY",
        "70.00",
        "40.00",
    )
    recorded = await outbox_events(db, name, "bonuses.bonus.transaction.recorded.v1")
    [announced] = [event for event in recorded if event["type"] == "EXPIRATION"]
    assert announced["account"] == {
        "version": 4,
        "balance": "40.00",
        "accrued": "140.00",
        "spent": "30.00",
        "expired": "70.00",
        "nextExpiryAt": None,  # what is left never burns
        "nextExpiryAmount": None,
    }
    # Before the burn, what would burn next was the older lot's 70 left after the write-off.
    [written_off] = [event for event in recorded if event["type"] == "WRITE_OFF"]
    assert written_off["account"]["nextExpiryAmount"] == "70.00"
