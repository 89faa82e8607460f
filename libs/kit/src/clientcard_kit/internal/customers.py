"""Which customers the customers service has, asked by the services that act on them.

Bonuses, messaging and receipts each keep a projection of customers from `customers.v1`,
but a customer registered a moment ago may not have reached it yet. Before refusing an
id (or a phone) they do not know, they ask the customers service itself, which answers
from its own database: a till that registers a client and sells at once is never told
the client does not exist.
"""

import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from clientcard_kit.errors import NotFound, Unavailable
from clientcard_kit.internal.client import ServiceClient, ServiceUnavailable

LOOKUP_PATH = "/internal/v1/customers/lookup"
# More than any batch of receipts names; a larger question is asked in parts.
LOOKUP_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class KnownCustomers:
    ids: set[uuid.UUID] = field(default_factory=set)
    by_phone: dict[str, uuid.UUID] = field(default_factory=dict)
    # The version of each customer's events the answer is as new as.
    versions: dict[uuid.UUID, int] = field(default_factory=dict)
    # Asked ids merged away, with the card each ended in (which is among `ids`).
    survivors: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)


class CustomerDirectory:
    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def lookup(
        self, tenant: str, ids: Iterable[uuid.UUID] = (), phones: Iterable[str] = ()
    ) -> KnownCustomers:
        """The customers among these ids and phones (E.164) that exist now, and the
        survivors of the ids merged away.

        Raises ServiceUnavailable when the customers service cannot say.
        """
        wanted_ids, wanted_phones = sorted(set(ids)), sorted(set(phones))
        found = KnownCustomers()
        for start in range(0, max(len(wanted_ids), len(wanted_phones)), LOOKUP_LIMIT):
            part = {
                "ids": [str(i) for i in wanted_ids[start : start + LOOKUP_LIMIT]],
                "phones": wanted_phones[start : start + LOOKUP_LIMIT],
            }
            status, answer = await self._client.call("POST", tenant, LOOKUP_PATH, part)
            if status != 200 or not isinstance(answer, dict):
                raise ServiceUnavailable(f"the customers directory answered {status}")
            for customer in answer.get("customers", []):
                customer_id = uuid.UUID(customer["id"])
                found.ids.add(customer_id)
                found.versions[customer_id] = int(customer.get("version", 0))
                if customer.get("phone"):
                    found.by_phone[customer["phone"]] = customer_id
            for merged in answer.get("merged", []):
                found.survivors[uuid.UUID(merged["id"])] = uuid.UUID(merged["survivorId"])
        return found

    async def require(
        self,
        tenant: str,
        customer_id: uuid.UUID,
        known_here: Callable[[], Awaitable[bool]] | None = None,
    ) -> None:
        """Pass if the customer exists, else NotFound; nothing may be written before.

        `known_here` asks the calling service's own projection first, which knows nearly
        every customer; only a customer it does not know costs a call. When the customers
        service cannot answer, Unavailable: the caller may try again.
        """
        if known_here is not None and await known_here():
            return
        try:
            found = await self.lookup(tenant, ids=[customer_id])
        except ServiceUnavailable as exc:
            raise Unavailable(
                "the customers service cannot confirm the customer right now; try again"
            ) from exc
        if customer_id in found.survivors:
            survivor = found.survivors[customer_id]
            raise NotFound(f"customer {customer_id} was merged into {survivor}")
        if customer_id not in found.ids:
            raise NotFound(f"no customer {customer_id}")
