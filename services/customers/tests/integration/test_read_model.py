"""The read model of figures fed by real receipts and messaging events from Kafka."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from clientcard_contracts.events.base import Event
from clientcard_contracts.events.messaging import MessengerDefaultChanged, NpsSubmitted
from clientcard_contracts.events.receipts import ReceiptRegistered
from clientcard_customers.settings import CustomersSettings
from clientcard_kit.testing import processed, publish_events

from .calls import CARD, register, tenant

pytestmark = pytest.mark.integration

SUMMARY = """query($id: ID!) { customer(id: $id) { summary {
  purchases revenue averageCheck lastPurchaseAt messengerStatus defaultChannel lastNpsScore
} } }"""
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def sale(
    tenant_id: str,
    customer_id: str,
    version: int,
    purchases: int,
    revenue: str,
    outlet: str = "salon-1",
) -> Event:
    return ReceiptRegistered.model_validate(
        {
            "tenantId": tenant_id,
            "customerId": customer_id,
            "occurredAt": NOW.isoformat(),
            "receiptId": str(uuid.uuid4()),
            "type": "SALE",
            "posId": "pos-1",
            "outletId": outlet,
            "number": f"R-{version}",
            "purchasedAt": (NOW - timedelta(days=10 - version)).isoformat(),
            "items": [
                {"name": "Стрижка", "quantity": "1", "price": "1000.00", "amount": "1000.00"}
            ],
            "total": "1000.00",
            "paid": "1000.00",
            "bonusesSpent": "0.00",
            "purchaseStats": {
                "version": version,
                "purchases": purchases,
                "returns": 0,
                "revenue": revenue,
                "averageCheck": f"{float(revenue) / purchases:.2f}",
                "firstPurchaseAt": (NOW - timedelta(days=30)).isoformat(),
                "lastPurchaseAt": (NOW - timedelta(days=10 - version)).isoformat(),
            },
        }
    )


def default_changed(tenant_id: str, customer_id: str, version: int, channel: str) -> Event:
    return MessengerDefaultChanged.model_validate(
        {
            "tenantId": tenant_id,
            "customerId": customer_id,
            "occurredAt": NOW.isoformat(),
            "defaultChannel": channel,
            "messengers": {
                "version": version,
                "status": "ACTIVE",
                "defaultChannel": channel,
                "subscriptions": [{"channel": channel, "status": "ACTIVE", "isDefault": True}],
            },
        }
    )


def nps(tenant_id: str, customer_id: str, score: int, minutes: int) -> Event:
    return NpsSubmitted.model_validate(
        {
            "tenantId": tenant_id,
            "customerId": customer_id,
            "occurredAt": NOW.isoformat(),
            "responseId": str(uuid.uuid4()),
            "score": score,
            "respondedAt": (NOW + timedelta(minutes=minutes)).isoformat(),
        }
    )


async def test_purchases_messengers_and_nps_keep_the_newest_figures(
    as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    name = tenant()
    call = as_tenant(name)
    customer_id = (await register(call))["id"]
    # Newer first, then older: the older ones must not roll the figures back.
    event_ids = await publish_events(
        customers_settings.kafka_bootstrap_servers,
        [
            sale(name, customer_id, 2, 2, "2000.00"),
            sale(name, customer_id, 1, 1, "1000.00"),
            default_changed(name, customer_id, 5, "WHATSAPP"),
            default_changed(name, customer_id, 4, "TELEGRAM"),
            nps(name, customer_id, 9, minutes=10),
            nps(name, customer_id, 3, minutes=5),
        ],
    )

    await processed(customers_settings.database_url, event_ids)
    summary = (await call(SUMMARY, id=customer_id))["data"]["customer"]["summary"]
    assert summary["purchases"] == 2
    assert (summary["revenue"], summary["averageCheck"]) == ("2000.00", "1000.00")
    assert summary["lastPurchaseAt"].startswith("2026-11-12")
    assert (summary["messengerStatus"], summary["defaultChannel"]) == ("ACTIVE", "WHATSAPP")
    assert summary["lastNpsScore"] == 9
    listed = await call("{ customers(filter: {channel: WHATSAPP, npsMin: 9}) { totalCount } }")
    assert listed["data"]["customers"]["totalCount"] == 1
    assert (await call(CARD, id=customer_id))["data"]["customer"]["id"] == customer_id


async def test_the_outlets_a_customer_bought_at_are_kept_from_the_sales(
    as_tenant: Any, customers_settings: CustomersSettings
) -> None:
    name = tenant()
    call = as_tenant(name)
    anna, boris = (await register(call))["id"], (await register(call))["id"]
    event_ids = await publish_events(
        customers_settings.kafka_bootstrap_servers,
        [
            sale(name, anna, 2, 2, "2000.00", outlet="mall"),
            # An older sale adds its outlet too: she did buy there.
            sale(name, anna, 1, 1, "1000.00", outlet="station"),
            sale(name, boris, 1, 1, "1000.00", outlet="center"),
        ],
    )
    await processed(customers_settings.database_url, event_ids)
    query = (
        "query($o: [ID!]) { customers(filter: {purchasedAtOutletIds: $o})"
        " { edges { node { id } } } }"
    )
    for outlets, expected in (
        (["mall"], {anna}),
        (["station"], {anna}),
        (["center", "mall"], {anna, boris}),
        (["airport"], set()),
    ):
        found = (await call(query, o=outlets))["data"]["customers"]["edges"]
        assert {edge["node"]["id"] for edge in found} == expected, outlets
