"""What happens to receipts: each function one change, committed with its events.

One module per kind of change: `registration` (storing receipts, on every path),
`customers` (linking, erasure, giving up on a customer who never came), `api_keys`,
`ledger_bonuses` (the ledger's bonuses of each receipt).
"""

from clientcard_receipts.commands.api_keys import create_pos_api_key, revoke_pos_api_key
from clientcard_receipts.commands.customers import (
    GivenUp,
    erase_customer,
    find_customer,
    give_up_waiting,
    learn_customer,
)
from clientcard_receipts.commands.ledger_bonuses import keep_ledger_bonuses
from clientcard_receipts.commands.registration import (
    Outcome,
    Registration,
    RegistrationRace,
    register_receipt,
    register_receipts,
)

__all__ = [
    "GivenUp",
    "Outcome",
    "Registration",
    "RegistrationRace",
    "create_pos_api_key",
    "erase_customer",
    "find_customer",
    "give_up_waiting",
    "keep_ledger_bonuses",
    "learn_customer",
    "register_receipt",
    "register_receipts",
    "revoke_pos_api_key",
]
