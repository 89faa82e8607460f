"""What every service answers to a merge of two customers (`customers.CustomerMerged`).

Each service that holds records of customers moves the duplicate's to the survivor in one
transaction, exactly once, and then publishes its own kind of `CustomerMergeApplied` on
its own topic, keyed by the survivor, with the survivor's figures as they now are. The
customers service counts the answers; when every service has answered it erases the
duplicate.
"""

import uuid

from pydantic import Field

from clientcard_contracts.events.base import CustomerEvent


class CustomerMergeApplied(CustomerEvent):
    """A service moved every record of the duplicate to the survivor (`customerId`)."""

    duplicate_id: uuid.UUID = Field(description="The customer merged away.")
    service: str = Field(min_length=1, description="The service that moved its records.")

    def subject(self) -> str:
        return str(self.duplicate_id)
