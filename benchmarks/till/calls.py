"""What the staff and the till send: GraphQL to the services, POS HTTP to receipts."""

from datetime import UTC, datetime
from typing import Any

import httpx

from clientcard_kit.auth import issue_dev_token

TENANT = "bench-till"
REGISTER = "mutation($p: String!) { registerCustomer(input: {phone: $p}) { id } }"
PROGRAM = (
    'mutation { updateLoyaltyProgram(input: {accrualPercent: "5.00", maxRedeemPercent: "50.00",'
    ' welcomeBonus: "500.00"}) { accrualPercent } }'
)
POS_KEY = 'mutation { createPosApiKey(outletId: "shop-1", posId: "till-1") { secret } }'


class Calls:
    """The staff's GraphQL and the till's POS HTTP, as the benchmark makes them."""

    def __init__(self, http: httpx.AsyncClient, urls: dict[str, str]) -> None:
        self.http, self.urls = http, urls
        token = issue_dev_token(tenant=TENANT, role="OWNER", subject=f"owner@{TENANT}")
        self.staff = {"authorization": f"Bearer {token}"}
        self.till: dict[str, str] = {}

    async def graphql(self, service: str, query: str, **variables: Any) -> dict[str, Any]:
        answer = await self.http.post(
            f"{self.urls[service]}/graphql",
            json={"query": query, "variables": variables},
            headers=self.staff,
        )
        body: dict[str, Any] = answer.json()
        if body.get("errors"):
            raise SystemExit(f"{service}: {body['errors']}")
        return dict(body["data"])

    async def pos(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = await self.http.post(
            f"{self.urls['receipts']}/pos/v1{path}", json=body, headers=self.till
        )
        if answer.status_code not in (200, 201):
            raise SystemExit(f"{path}: {answer.status_code} {answer.text}")
        return dict(answer.json())

    async def reserve(self, customer: str, total: str, amount: str) -> str:
        await self.pos("/bonus-quotes", {"customer": {"id": customer}, "total": total})
        held = await self.pos(
            "/bonus-reservations",
            {"customer": {"id": customer}, "total": total, "amount": amount, "ttlSeconds": 3600},
        )
        return str(held["id"])


def sale(number: str, customer: str, reservation: str | None) -> dict[str, Any]:
    """A sale of one coffee as the till sends it; with a reservation, 10.00 paid in bonuses."""
    document: dict[str, Any] = {
        "tenantId": TENANT,
        "posId": "till-1",
        "outletId": "shop-1",
        "number": number,
        "type": "SALE",
        "purchasedAt": datetime.now(UTC).isoformat(),
        "customer": {"id": customer},
        "items": [{"name": "Кофе", "quantity": "1", "price": "200.00", "amount": "200.00"}],
        "total": "200.00",
        "bonusesSpent": "0.00",
        "paid": "200.00",
    }
    if reservation is not None:
        document |= {"bonusesSpent": "10.00", "paid": "190.00", "bonusReservationId": reservation}
    return document
