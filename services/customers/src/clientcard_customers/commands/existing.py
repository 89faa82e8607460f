"""Finding what a command acts on, or saying it is not there."""

import uuid

from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.errors import NotFound
from clientcard_customers.domain.records import Customer


async def existing_customer(
    uow: CustomersUnitOfWork, customer_id: uuid.UUID, *, for_update: bool = False
) -> Customer:
    """The customer, or NOT_FOUND."""
    customer = await uow.customers.get(customer_id, for_update=for_update)
    if customer is None:
        raise NotFound(f"no customer {customer_id}")
    return customer
