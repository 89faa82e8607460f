"""Who the receipts of a batch name: customers this service's projection of
`customers.v1` knows, those the customers service confirms when asked, ids merged away
(followed to their survivor) and ids that are no customer's. Their names are held for the
transaction, so a registration or a merge applied at the same moment is seen whole."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from clientcard_contracts.pos import PosReceipt
from clientcard_kit.internal import CustomerDirectory, KnownCustomers, ServiceUnavailable
from clientcard_receipts.db.unit_of_work import ReceiptsUnitOfWork
from clientcard_receipts.domain import rules


@dataclass
class NamedCustomers:
    """The customers a batch names: known to the projection of customers.v1, or to the
    customers service when asked; `unknown` are the ids it said are no customer's, and
    `survivors` the card each id merged away went to (a till may keep a duplicate's id)."""

    ids: set[uuid.UUID]
    phones: dict[str, uuid.UUID]
    survivors: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    unknown: set[uuid.UUID] = field(default_factory=set)

    def customer_of(self, named_id: uuid.UUID) -> uuid.UUID:
        """The card a customer id stands for now: its survivor, if it was merged away."""
        return self.survivors.get(named_id, named_id)

    @classmethod
    async def load(
        cls,
        uow: ReceiptsUnitOfWork,
        batch: Sequence[PosReceipt],
        directory: CustomerDirectory | None,
    ) -> "NamedCustomers":
        names = [rules.customer_name(pos.customer) for pos in batch]
        named = [name for name in names if isinstance(name, rules.CustomerName)]
        named_ids = {n.id for n in named if n.id}
        wanted_phones = {n.phone for n in named if n.phone}
        survivors = await _held_with_survivors(uow, named_ids, wanted_phones)
        wanted_ids = {survivors.get(i, i) for i in named_ids}
        known = cls(
            ids=await uow.known_customers.existing(wanted_ids),
            phones=await uow.known_customers.by_phones(wanted_phones),
            survivors=survivors,
        )
        if directory is not None:
            await known._ask(
                uow, directory, wanted_ids - known.ids, wanted_phones - set(known.phones)
            )
        return known

    async def _ask(
        self,
        uow: ReceiptsUnitOfWork,
        directory: CustomerDirectory,
        ids: set[uuid.UUID],
        phones: set[str],
    ) -> None:
        if not ids and not phones:
            return
        try:
            found = await directory.lookup(uow.tenant, ids, phones)
        except ServiceUnavailable:
            return  # they wait, as for a phone nobody has registered yet
        self.ids |= found.ids & ids
        await self._follow_merges(uow, found, ids)
        self.unknown = ids - found.ids - found.survivors.keys()
        self.phones.update((p, c) for p, c in found.by_phone.items() if p in phones)
        await remember(uow, found)

    async def _follow_merges(
        self, uow: ReceiptsUnitOfWork, found: KnownCustomers, asked: set[uuid.UUID]
    ) -> None:
        """Ids the customers service says were merged away, before this service heard of
        the merge: their receipts go to the survivor (held like any named customer)."""
        merged = {i: s for i, s in found.survivors.items() if i in asked and s in found.ids}
        if not merged:
            return
        await uow.known_customers.hold(merged.values(), ())
        self.ids |= set(merged.values())
        for named, resolved in [*self.survivors.items(), *((i, i) for i in merged)]:
            if resolved in merged:
                self.survivors[named] = merged[resolved]


async def _held_with_survivors(
    uow: ReceiptsUnitOfWork, ids: set[uuid.UUID], phones: set[str]
) -> dict[uuid.UUID, uuid.UUID]:
    """Hold the names (and the survivors of ids merged away, which a receipt goes to
    instead); returns those survivors.

    Read again once held: a merge committed while the hold waited is seen then. A survivor
    only that read found is held after the rest (a merge at that very moment is rare).
    """
    before = await uow.merged_away.survivors_of(ids) if ids else {}
    await uow.known_customers.hold(ids | set(before.values()), phones)
    if not ids:
        return {}
    survivors = await uow.merged_away.survivors_of(ids)
    late = set(survivors.values()) - set(before.values())
    if late:
        await uow.known_customers.hold(late, ())
    return survivors


async def remember(uow: ReceiptsUnitOfWork, found: KnownCustomers) -> None:
    """Learn what the customers service told, so the next receipts need not ask again.

    With the version it answered as of: the customer's events up to it, when they come,
    change nothing, and later ones replace it. Only
    for customers whose lock is free at once: a transaction holding one is applying that
    customer's own event (a registration or a phone change), which stores it better, and
    waiting for it while holding the receipt's names could deadlock.
    """
    free = await uow.known_customers.try_hold(found.by_phone.values())
    for phone, customer_id in found.by_phone.items():
        if customer_id in free:
            version = found.versions.get(customer_id, 0)
            await uow.known_customers.remember(customer_id, phone, version)
