"""The till's bonuses over HTTP: quote, reserve and release, with the POS's API key.

    POST   /pos/v1/bonus-quotes               {"customer": {"id"|"phone"}, "total"}
    POST   /pos/v1/bonus-reservations         {"customer", "total", "amount", "ttlSeconds"?}
    DELETE /pos/v1/bonus-reservations/{id}

The bonuses service keeps the ledger; this service holds the POS keys and knows
customers by phone, so the till has one base address and one key. It finds the customer
and passes the question on; the answer is the bonuses service's own.
"""

import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clientcard_contracts.pos import PosAmount, PosCustomer, Problem, problems_of
from clientcard_kit.internal import ServiceUnavailable
from clientcard_kit.runtime import ServiceRuntime
from clientcard_receipts import commands
from clientcard_receipts.db.unit_of_work import SOURCE, ReceiptsUnitOfWork
from clientcard_receipts.domain import rules
from clientcard_receipts.domain.records import PosCaller
from clientcard_receipts.entrypoints.http.pos_auth import (
    UNAUTHORIZED,
    Credentials,
    Problems,
    pos_caller,
    problems_response,
    unauthorized,
)

DEFAULT_TTL_SECONDS = 600


class QuoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer: PosCustomer
    total: PosAmount


class ReservationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    customer: PosCustomer
    total: PosAmount
    amount: PosAmount
    ttl_seconds: int = Field(default=DEFAULT_TTL_SECONDS, alias="ttlSeconds")


class BonusQuote(BaseModel):
    balance: str
    maxRedeemable: str  # noqa: N815 (the contract's names)
    accrualIfNoRedeem: str  # noqa: N815


class BonusReservation(BaseModel):
    id: str
    customerId: str  # noqa: N815
    amount: str
    status: str
    createdAt: str  # noqa: N815
    expiresAt: str  # noqa: N815
    receiptNumber: str | None  # noqa: N815


# What bonuses answered (status, JSON), to be handed to the till as it is.
Asked = Awaitable[tuple[int, Any]]
Body = TypeVar("Body", QuoteRequest, ReservationRequest)

_ANSWERS: dict[int | str, dict[str, Any]] = {
    **UNAUTHORIZED,
    404: {"description": "No such customer (or reservation) for this merchant"},
    422: {"model": Problems, "description": "What is wrong with the request"},
    503: {"description": "The bonuses or customers service cannot answer now; try again"},
}


def pos_bonuses_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(prefix="/pos/v1", tags=["POS"])

    @router.post(
        "/bonus-quotes",
        response_model=BonusQuote,
        summary="What the customer may spend on a sale of this total",
        responses=_ANSWERS,
    )
    async def quote(request: Request, credentials: Credentials) -> Any:
        def ask(tenant: str, customer: uuid.UUID, asked: QuoteRequest) -> Asked:
            return runtime.till_bonuses.quote(tenant, customer, Decimal(asked.total))

        return await _for_customer(runtime, request, credentials, QuoteRequest, ask)

    @router.post(
        "/bonus-reservations",
        status_code=status.HTTP_201_CREATED,
        response_model=BonusReservation,
        summary="Hold bonuses for this sale; send its id with the receipt",
        responses=_ANSWERS,
    )
    async def reserve(request: Request, credentials: Credentials) -> Any:
        def ask(tenant: str, customer: uuid.UUID, asked: ReservationRequest) -> Asked:
            return runtime.till_bonuses.reserve(
                tenant, customer, asked.total, asked.amount, asked.ttl_seconds
            )

        return await _for_customer(runtime, request, credentials, ReservationRequest, ask)

    @router.delete(
        "/bonus-reservations/{reservation_id}",
        response_model=BonusReservation,
        summary="Release a reservation the sale did not use",
        responses=_ANSWERS,
    )
    async def release(reservation_id: uuid.UUID, credentials: Credentials) -> Any:
        caller = await pos_caller(runtime, credentials)
        if caller is None:
            return unauthorized()
        return await _passed_on(runtime.till_bonuses.release(caller.tenant_id, reservation_id))

    return router


async def _for_customer(
    runtime: ServiceRuntime,
    request: Request,
    credentials: HTTPAuthorizationCredentials | None,
    model: type[Body],
    ask: Callable[[str, uuid.UUID, Body], Asked],
) -> JSONResponse:
    """The POS's key checked, its request read, its customer found, then the question
    passed on to bonuses; the first of these that fails answers."""
    caller = await pos_caller(runtime, credentials)
    if caller is None:
        return unauthorized()
    try:
        asked = model.model_validate_json(await request.body())
    except ValidationError as invalid:
        return problems_response([(p.path, p.message) for p in problems_of(invalid)])
    customer = await _customer(runtime, caller, asked.customer)
    if not isinstance(customer, uuid.UUID):
        return customer
    return await _passed_on(ask(caller.tenant_id, customer, asked))


async def _customer(
    runtime: ServiceRuntime, caller: PosCaller, named: PosCustomer
) -> uuid.UUID | JSONResponse:
    name = rules.customer_name(named)
    if isinstance(name, Problem):
        return problems_response([(name.path, name.message)])
    uow = ReceiptsUnitOfWork.for_tenant(runtime.db, tenant=caller.tenant_id, source=SOURCE)
    try:
        async with uow:
            found = await commands.find_customer(uow, name, runtime.customers)
    except ServiceUnavailable:
        return _unavailable()
    if found is None:
        shown = f"id {name.id}" if name.id else f"phone {name.phone}"
        return JSONResponse(
            {"detail": f"no customer with {shown}"}, status_code=status.HTTP_404_NOT_FOUND
        )
    return found


async def _passed_on(answer: Asked) -> JSONResponse:
    try:
        status_code, body = await answer
    except ServiceUnavailable:
        return _unavailable()
    return JSONResponse(body, status_code=status_code)


def _unavailable() -> JSONResponse:
    return JSONResponse(
        {"detail": "bonuses cannot be reserved right now; try again or sell without them"},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": "1"},
    )
