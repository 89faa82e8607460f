"""What changes bonus accounts: each function one change, committed with its events.

Every change of an account opens it under its row lock first (see `db.accounts`), so the
balance seen by a rule is the balance the change is stored against. One module per kind
of change: `accounts` (the program, manual operations, welcome, erasure, expiry),
`receipts` (receipts applied in batches), `till` (quotes and reservations).
"""

from clientcard_bonuses.commands.accounts import (
    accrue_bonuses,
    erase_customer,
    expire_lots,
    update_loyalty_program,
    welcome,
    write_off_bonuses,
)
from clientcard_bonuses.commands.receipts import apply_receipt, apply_receipts
from clientcard_bonuses.commands.till import (
    expire_reservations,
    quote,
    release_bonus_reservation,
    reserve_bonuses,
)

__all__ = [
    "accrue_bonuses",
    "apply_receipt",
    "apply_receipts",
    "erase_customer",
    "expire_lots",
    "expire_reservations",
    "quote",
    "release_bonus_reservation",
    "reserve_bonuses",
    "update_loyalty_program",
    "welcome",
    "write_off_bonuses",
]
