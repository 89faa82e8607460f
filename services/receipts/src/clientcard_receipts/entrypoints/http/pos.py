"""`POST /pos/v1/receipts`: POS systems sending receipts over HTTP with a per-POS API key.

The body is the receipt of `pos-receipt.schema.json`; the tenant comes from the key, and a
`tenantId` in the body, when present, must be the key's. The key also fixes the POS and
its outlet. Errors are listed whole (422 `problems`), the same problems Kafka's dead
letters carry, because the body is read by the same contract model and the same command.

A receipt whose customer is not known yet (a phone nobody has registered, or an id the
customers service could not confirm at that moment) is kept and answered 202 with
`status: WAITING_FOR_CUSTOMER`; it counts once its customer's registration arrives.
"""

import json
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel

from clientcard_contracts.pos import InvalidPosReceipt, PosReceipt, Problem, read_pos_receipt
from clientcard_kit.runtime import ServiceRuntime
from clientcard_receipts import commands
from clientcard_receipts.db.unit_of_work import SOURCE, ReceiptsUnitOfWork
from clientcard_receipts.domain.records import PosCaller
from clientcard_receipts.entrypoints.http.pos_auth import (
    UNAUTHORIZED,
    Credentials,
    Problems,
    pos_caller,
    problems_response,
    unauthorized,
)


class ReceiptAccepted(BaseModel):
    id: str
    created: bool
    # REGISTERED, or WAITING_FOR_CUSTOMER while its customer is not known yet.
    status: str


REGISTERED, WAITING = "REGISTERED", "WAITING_FOR_CUSTOMER"


def pos_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(prefix="/pos/v1", tags=["POS"])

    @router.post(
        "/receipts",
        status_code=status.HTTP_201_CREATED,
        response_model=ReceiptAccepted,
        summary="Register a receipt",
        responses={
            200: {"model": ReceiptAccepted, "description": "A resend: the receipt stored before"},
            201: {"description": "A new receipt, stored"},
            202: {
                "model": ReceiptAccepted,
                "description": "Stored, waiting for its customer to be known (new or resent)",
            },
            **UNAUTHORIZED,
            422: {"model": Problems, "description": "Every rule the receipt breaks"},
        },
        openapi_extra={"requestBody": _request_body()},
    )
    async def register_receipt(
        request: Request,
        response: Response,
        credentials: Credentials,
    ) -> Any:
        caller = await pos_caller(runtime, credentials)
        if caller is None:
            return unauthorized()
        try:
            receipt = read_pos_receipt(_document(await request.body(), caller))
            problems = _caller_problems(receipt, caller)
            if problems:
                raise InvalidPosReceipt(problems)
            uow = ReceiptsUnitOfWork.for_tenant(runtime.db, tenant=caller.tenant_id, source=SOURCE)
            async with uow:
                registration = await commands.register_receipt(
                    uow, receipt, datetime.now(UTC), runtime.customers
                )
        except InvalidPosReceipt as exc:
            return problems_response([(p.path, p.message) for p in exc.problems])
        stored = registration.receipt
        if stored.waiting:
            response.status_code = status.HTTP_202_ACCEPTED
        elif not registration.created:
            response.status_code = status.HTTP_200_OK
        return ReceiptAccepted(
            id=str(stored.id),
            created=registration.created,
            status=WAITING if stored.waiting else REGISTERED,
        )

    return router


def _document(body: bytes, caller: PosCaller) -> bytes | dict[str, Any]:
    """The body with the key's tenant filled in where the POS left it out."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return body  # read_pos_receipt says what is wrong with it
    if not isinstance(document, dict):
        return body
    document.setdefault("tenantId", caller.tenant_id)
    return document


def _caller_problems(receipt: PosReceipt, caller: PosCaller) -> list[Problem]:
    problems = []
    if receipt.tenant_id != caller.tenant_id:
        problems.append(Problem("tenantId", "is not the tenant of the API key"))
    if receipt.pos_id != caller.pos_id:
        problems.append(Problem("posId", f"the API key is for POS {caller.pos_id}"))
    if receipt.outlet_id != caller.outlet_id:
        problems.append(Problem("outletId", f"the API key is for outlet {caller.outlet_id}"))
    return problems


def _request_body() -> dict[str, Any]:
    schema = _inlined(PosReceipt.model_json_schema(by_alias=True))
    # Over HTTP the tenant comes from the API key.
    schema["required"] = [name for name in schema["required"] if name != "tenantId"]
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with its `$defs` written in place, as an OpenAPI request body wants."""
    definitions = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#/$defs/"):
                return inline(dict(definitions[reference.removeprefix("#/$defs/")]))
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value) for value in node]
        return node

    inlined: dict[str, Any] = inline(schema)
    return inlined
