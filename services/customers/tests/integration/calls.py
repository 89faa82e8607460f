"""What the customers API tests send: registration, the card, fresh tenants and phones."""

import uuid
from typing import Any

REGISTER = """
mutation($input: RegisterCustomerInput!) {
  registerCustomer(input: $input) { id phone firstName gender registration { source } }
}"""
CARD = """
query($id: ID!) {
  customer(id: $id) {
    id phone firstName lastName
    segments { id name customersCount }
    notes(first: 2) { totalCount edges { node { text author } } pageInfo { hasNextPage endCursor } }
    summary { bonusBalance purchases }
  }
}"""


def tenant() -> str:
    return f"salon-{uuid.uuid4().hex[:8]}"


def phone() -> str:
    return f"+7912{uuid.uuid4().int % 10_000_000:07d}"


async def register(call: Any, **fields: object) -> dict[str, Any]:
    result = await call(REGISTER, input={"phone": phone(), **fields})
    assert "errors" not in result, result
    registered: dict[str, Any] = result["data"]["registerCustomer"]
    return registered


def error_code(result: dict[str, Any]) -> str:
    code: str = result["errors"][0]["extensions"]["code"]
    return code
