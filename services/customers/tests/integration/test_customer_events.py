"""The customers service and Kafka: the read model of other services' figures, and the
events its own changes publish through the outbox."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from clientcard_contracts.enums import BonusEvent, BonusOperationType
from clientcard_contracts.events.bonuses import BonusAccountTotals, BonusTransactionRecorded
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.db import Database
from clientcard_kit.events import cloudevents
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.testing import eventually

from .calls import CARD, register, tenant

pytestmark = pytest.mark.integration


async def test_the_read_model_takes_the_newest_bonus_balance_whatever_the_order(
    as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer = await register(call)
    publisher = KafkaPublisher(customers_settings.kafka_bootstrap_servers, client_id="tests")
    await publisher.start()
    try:
        soon, later = datetime.now(UTC) + timedelta(days=5), datetime.now(UTC) + timedelta(days=40)
        for version, balance, burns in (
            (2, "150.00", soon),
            (1, "100.00", later),
            (2, "150.00", soon),
        ):
            event = BonusTransactionRecorded(
                tenant_id=name,
                customer_id=uuid.UUID(customer["id"]),
                occurred_at="2026-11-01T10:00:00+00:00",
                operation_id=uuid.uuid4(),
                type=BonusOperationType.ACCRUAL,
                event=BonusEvent.MANUAL,
                amount="50.00",
                balance_after=balance,
                account=BonusAccountTotals(
                    version=version,
                    balance=balance,
                    accrued=balance,
                    spent="0",
                    expired="0",
                    next_expiry_at=burns,
                ),
            )
            headers, body = cloudevents.encode(cloudevents.CloudEvent.of(event, source="/tests"))
            await publisher.send(event.TOPIC, key=event.key().encode(), value=body, headers=headers)
    finally:
        await publisher.stop()

    async def balance_is(expected: str) -> bool:
        card = (await call(CARD, id=customer["id"]))["data"]["customer"]
        return bool(card["summary"]["bonusBalance"] == expected)

    await eventually(lambda: balance_is("150.00"), what="the bonus balance to arrive")
    filtered = await call('{ customers(filter: {bonusBalanceMin: "120.00"}) { totalCount } }')
    assert filtered["data"]["customers"]["totalCount"] == 1
    # When the next bonuses burn travels with the balance, the newest version winning.
    summary = "query($id: ID!) { customer(id: $id) { summary { bonusesExpiringAt } } }"
    burning = (await call(summary, id=customer["id"]))["data"]["customer"]["summary"]
    assert abs(datetime.fromisoformat(burning["bonusesExpiringAt"]) - soon) < timedelta(
        milliseconds=1
    )
    expiring = "{ customers(filter: {bonusesExpiringWithinDays: %d}) { totalCount } }"
    assert (await call(expiring % 7))["data"]["customers"]["totalCount"] == 1
    assert (await call(expiring % 3))["data"]["customers"]["totalCount"] == 0


async def test_changes_are_published_through_the_outbox(
    as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer = await register(call)
    await call(
        'mutation($id: ID!) { updateCustomer(id: $id, input: {lastName: "Сидорова",'
        ' phone: "+79035550199", questionnaire: [{question: "Мастер", answer: "Ольга"}]}) { id } }',
        id=customer["id"],
    )
    assert (await call("mutation($id: ID!) { deleteCustomer(id: $id) }", id=customer["id"]))["data"]
    db = Database(customers_settings.database_url)
    try:

        async def published() -> bool:
            async with db.transaction() as session:
                rows = await session.execute(
                    sa.text(
                        "SELECT event_type, published_at IS NOT NULL FROM outbox "
                        "WHERE tenant_id = :t ORDER BY seq"
                    ),
                    {"t": name},
                )
                return rows.all() == [
                    ("customers.customer.registered.v1", True),
                    ("customers.customer.updated.v1", True),
                    ("customers.customer.deleted.v1", True),
                ]

        await eventually(published, what="the three events to be published")
        async with db.transaction() as session:
            updated = (
                await session.execute(
                    sa.text(
                        "SELECT data->>'phone', data->'questionnaire' FROM outbox "
                        "WHERE tenant_id = :t AND event_type = 'customers.customer.updated.v1'"
                    ),
                    {"t": name},
                )
            ).one()
            # The new phone and the answers travel with the update (receipts match on it).
            assert tuple(updated) == ("+79035550199", [{"question": "Мастер", "answer": "Ольга"}])
            moments = list(
                await session.scalars(
                    sa.text(
                        "SELECT data->>'occurredAt' FROM outbox WHERE tenant_id = :t ORDER BY seq"
                    ),
                    {"t": name},
                )
            )
    finally:
        await db.dispose()
    # Each event is stamped with the moment of its own change, not of the registration.
    assert moments == sorted(moments)
    assert len(set(moments)) == 3
    assert (await call(CARD, id=customer["id"]))["data"]["customer"] is None


async def test_segment_changes_publish_the_full_current_list_with_a_growing_version(
    as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer = await register(call)
    created = [
        (await call("mutation($n: String!) { createSegment(name: $n) { id } }", n=label))["data"][
            "createSegment"
        ]["id"]
        for label in ("Постоянные", "Маникюр")
    ]
    assign = (
        "mutation($c: ID!, $s: [ID!]!) { assignSegments(customerId: $c, segmentIds: $s) { id } }"
    )
    await call(assign, c=customer["id"], s=created)
    await call(
        'mutation($s: ID!) { renameSegment(id: $s, name: "Постоянные+") { id } }', s=created[0]
    )
    await call("mutation($s: ID!) { deleteSegment(id: $s) }", s=created[1])

    db = Database(customers_settings.database_url)
    try:
        async with db.transaction() as session:
            rows = await session.execute(
                sa.text(
                    "SELECT data FROM outbox WHERE tenant_id = :t "
                    "AND event_type = 'customers.customer.segments.changed.v1' ORDER BY seq"
                ),
                {"t": name},
            )
            changes = [row.data for row in rows]
    finally:
        await db.dispose()
    assert [sorted(s["name"] for s in change["segments"]) for change in changes] == [
        ["Маникюр", "Постоянные"],
        ["Маникюр", "Постоянные+"],
        ["Постоянные+"],
    ]
    versions = [change["version"] for change in changes]
    assert versions == sorted(versions)
    assert len(set(versions)) == 3
