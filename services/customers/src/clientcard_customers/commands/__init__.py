"""What merchants do to their clients' profiles, segments and notes: each command one
change, committed with the events it publishes (`publishing`).
"""

from clientcard_customers.commands.customers import (
    add_note,
    delete_note,
    erase_customer,
    register_customer,
    update_customer,
    update_note,
)
from clientcard_customers.commands.merging import merge_customers
from clientcard_customers.commands.segments import (
    assign_segments,
    create_segment,
    delete_segment,
    keep_members,
    recheck_dynamic_segments,
    rename_segment,
    unassign_segments,
)

__all__ = [
    "add_note",
    "assign_segments",
    "create_segment",
    "delete_note",
    "delete_segment",
    "erase_customer",
    "keep_members",
    "merge_customers",
    "recheck_dynamic_segments",
    "register_customer",
    "rename_segment",
    "unassign_segments",
    "update_customer",
    "update_note",
]
