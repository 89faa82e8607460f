"""The bonuses service's routes for tills, as the receipts service calls them.

A POS asks receipts (the service its API key belongs to) for a quote or a reservation;
receipts finds the customer and passes the question on here. The answer comes back as
bonuses gave it: its status and its JSON body, for receipts to hand to the till.
"""

import uuid
from decimal import Decimal
from typing import Any

from clientcard_kit.internal.client import ServiceClient

QUOTES_PATH = "/internal/v1/bonus-quotes"
RESERVATIONS_PATH = "/internal/v1/bonus-reservations"

Answer = tuple[int, Any]


class TillBonuses:
    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def quote(self, tenant: str, customer_id: uuid.UUID, total: Decimal) -> Answer:
        body = {"customerId": str(customer_id), "total": str(total)}
        return await self._client.call("POST", tenant, QUOTES_PATH, body)

    async def reserve(
        self,
        tenant: str,
        customer_id: uuid.UUID,
        total: Decimal,
        amount: Decimal,
        ttl_seconds: int,
    ) -> Answer:
        body = {
            "customerId": str(customer_id),
            "total": str(total),
            "amount": str(amount),
            "ttlSeconds": ttl_seconds,
        }
        return await self._client.call("POST", tenant, RESERVATIONS_PATH, body)

    async def release(self, tenant: str, reservation_id: uuid.UUID) -> Answer:
        return await self._client.call("DELETE", tenant, f"{RESERVATIONS_PATH}/{reservation_id}")
