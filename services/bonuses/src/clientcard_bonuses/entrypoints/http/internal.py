"""The till's redemption as the receipts service asks it on a POS's behalf.

POS systems call `/pos/v1/bonus-quotes` and `/pos/v1/bonus-reservations` on the receipts
service, with the API key they send receipts with; receipts checks the key, finds the
customer the till names (by id or phone) and asks these routes, signed as a service.
The rules are the commands the GraphQL mutations run: the same quote, the same holds.
"""

import uuid
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from clientcard_bonuses import commands
from clientcard_bonuses.db.unit_of_work import SOURCE, BonusesUnitOfWork
from clientcard_bonuses.domain.records import Quote
from clientcard_bonuses.domain.reservations import DEFAULT_TTL_SECONDS, Reservation
from clientcard_kit.auth.internal import InternalCaller
from clientcard_kit.errors import DomainError, InvalidInput, NotFound
from clientcard_kit.internal import FromService
from clientcard_kit.internal.bonuses import QUOTES_PATH, RESERVATIONS_PATH
from clientcard_kit.runtime import ServiceRuntime


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class QuoteAsked(_Camel):
    customer_id: uuid.UUID
    total: Decimal


class ReservationAsked(_Camel):
    customer_id: uuid.UUID
    total: Decimal
    amount: Decimal
    ttl_seconds: int = Field(default=DEFAULT_TTL_SECONDS)


def quote_document(quote: Quote) -> dict[str, str]:
    return {
        "balance": str(quote.balance),
        "maxRedeemable": str(quote.max_redeemable),
        "accrualIfNoRedeem": str(quote.accrual_if_no_redeem),
    }


def reservation_document(reservation: Reservation) -> dict[str, Any]:
    return {
        "id": str(reservation.id),
        "customerId": str(reservation.customer_id),
        "amount": str(reservation.amount),
        "status": reservation.status.value,
        "createdAt": reservation.created_at.isoformat(),
        "expiresAt": reservation.expires_at.isoformat(),
        "receiptNumber": reservation.receipt_number,
    }


def refusal(error: DomainError) -> JSONResponse:
    """A rule's refusal as the POS API answers it: 422 with problems, or 404."""
    if isinstance(error, NotFound):
        return JSONResponse({"detail": error.message}, status_code=status.HTTP_404_NOT_FOUND)
    path = error.field if isinstance(error, InvalidInput) else ""
    message = error.message.removeprefix(f"{path}: ") if path else error.message
    return JSONResponse(
        {"problems": [{"path": path, "message": message}]},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def internal_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["internal"], include_in_schema=False)

    def uow(caller: InternalCaller) -> BonusesUnitOfWork:
        return BonusesUnitOfWork.for_tenant(runtime.db, tenant=caller.tenant, source=SOURCE)

    @router.post(QUOTES_PATH)
    async def quote(asked: QuoteAsked, caller: FromService) -> Any:
        try:
            async with uow(caller) as work:
                found = await commands.quote(work, asked.customer_id, asked.total)
        except DomainError as refused:
            return refusal(refused)
        return quote_document(found)

    @router.post(RESERVATIONS_PATH, status_code=status.HTTP_201_CREATED)
    async def reserve(asked: ReservationAsked, caller: FromService) -> Any:
        try:
            async with uow(caller) as work:
                held = await commands.reserve_bonuses(
                    work, asked.customer_id, asked.total, asked.amount, asked.ttl_seconds
                )
        except DomainError as refused:
            return refusal(refused)
        return reservation_document(held)

    @router.delete(RESERVATIONS_PATH + "/{reservation_id}")
    async def release(reservation_id: uuid.UUID, caller: FromService) -> Any:
        try:
            async with uow(caller) as work:
                released = await commands.release_bonus_reservation(work, reservation_id)
        except DomainError as refused:
            return refusal(refused)
        return reservation_document(released)

    return router
