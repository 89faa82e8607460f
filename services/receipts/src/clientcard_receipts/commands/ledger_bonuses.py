"""Keeping what the bonuses ledger made of each receipt, for the card's list of receipts."""

from collections.abc import Iterable

from clientcard_receipts.db.unit_of_work import ReceiptsUnitOfWork
from clientcard_receipts.domain.records import LedgerBonuses


async def keep_ledger_bonuses(uow: ReceiptsUnitOfWork, applied: Iterable[LedgerBonuses]) -> None:
    """Store the bonuses each receipt accrued and spent, as the ledger applied them.

    Nothing is published: the copy only lets the receipts service answer a receipt's
    bonuses beside the receipt itself. A receipt this service does not hold (deleted with
    its customer's erasure) is passed over.
    """
    await uow.receipts.set_ledger_bonuses(applied)
    await uow.commit()
