"""Calls between services: a client that signs them, the guard of the routes that answer
them, and the customers directory the other three services ask."""

from clientcard_kit.internal.bonuses import TillBonuses
from clientcard_kit.internal.client import ServiceClient, ServiceUnavailable
from clientcard_kit.internal.customers import CustomerDirectory, KnownCustomers
from clientcard_kit.internal.guard import FromService, internal_caller

__all__ = [
    "CustomerDirectory",
    "FromService",
    "KnownCustomers",
    "ServiceClient",
    "ServiceUnavailable",
    "TillBonuses",
    "internal_caller",
]
