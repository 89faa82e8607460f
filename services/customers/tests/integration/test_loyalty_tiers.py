"""The loyalty tier in the customers read model: kept from bonuses' BonusTierChanged
events (the highest version wins, whatever the order), shown on the summary, and the
list's `tierIds` filter, with its count."""

import uuid
from typing import Any

import pytest

from clientcard_contracts.events.bonuses import BonusTierChanged
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.events import cloudevents
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.testing import eventually

from .calls import register, tenant

pytestmark = pytest.mark.integration

SUMMARY = "query($id: ID!) { customer(id: $id) { summary { tierId } } }"
IN_TIERS = """query($t: [ID!]) { customers(filter: {tierIds: $t}) {
  totalCount edges { node { id } } } }"""


async def send(settings: CustomersSettings, *changes: BonusTierChanged) -> None:
    publisher = KafkaPublisher(settings.kafka_bootstrap_servers, client_id="tests")
    await publisher.start()
    try:
        for event in changes:
            headers, body = cloudevents.encode(cloudevents.CloudEvent.of(event, source="/tests"))
            await publisher.send(event.TOPIC, key=event.key().encode(), value=body, headers=headers)
    finally:
        await publisher.stop()


def changed(name: str, customer: str, tier: uuid.UUID | None, version: int) -> BonusTierChanged:
    return BonusTierChanged(
        tenant_id=name,
        customer_id=uuid.UUID(customer),
        occurred_at="2026-11-01T10:00:00+00:00",
        tier_id=tier,
        tier_name="Gold" if tier else None,
        version=version,
    )


async def test_the_tier_is_kept_shown_and_filtered_on(
    as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    name = tenant()
    call = as_tenant(name)
    gold, silver = uuid.uuid4(), uuid.uuid4()
    first, second, third = [(await register(call))["id"] for _ in range(3)]

    async def tier_of(customer: str) -> Any:
        return (await call(SUMMARY, id=customer))["data"]["customer"]["summary"]["tierId"]

    # The third is seen in a tier first: "no tier" is also where every customer starts.
    await send(customers_settings, changed(name, third, gold, 1))

    async def placed() -> bool:
        return await tier_of(third) == str(gold)

    await eventually(placed, what="the third customer's first tier")
    await send(
        customers_settings,
        changed(name, first, gold, 2),
        changed(name, first, silver, 1),  # older: changes nothing
        changed(name, second, silver, 1),
        changed(name, third, None, 2),  # left every tier
    )

    async def arrived() -> bool:
        tiers = [await tier_of(customer) for customer in (first, second, third)]
        return tiers == [str(gold), str(silver), None]

    await eventually(arrived, what="the tiers to arrive")
    assert await tier_of(first) == str(gold)
    listed = (await call(IN_TIERS, t=[str(gold)]))["data"]["customers"]
    assert (listed["totalCount"], [e["node"]["id"] for e in listed["edges"]]) == (1, [first])
    both = (await call(IN_TIERS, t=[str(gold), str(silver)]))["data"]["customers"]
    assert both["totalCount"] == 2
    assert sorted(e["node"]["id"] for e in both["edges"]) == sorted([first, second])
    refused = await call(IN_TIERS, t=["not-an-id"])
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
