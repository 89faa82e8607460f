"""Who a POS is: the API key it sends, as every `/pos/v1` route reads it."""

from typing import Annotated, Any

from fastapi import Depends, status
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from clientcard_kit.runtime import ServiceRuntime
from clientcard_receipts.db.unit_of_work import SOURCE, ReceiptsUnitOfWork
from clientcard_receipts.domain import api_keys
from clientcard_receipts.domain.records import PosCaller


class Unauthorized(BaseModel):
    detail: str


class ProblemOut(BaseModel):
    path: str
    message: str


class Problems(BaseModel):
    problems: list[ProblemOut]


_bearer = HTTPBearer(auto_error=False, description="The secret of the POS's API key.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]

UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": Unauthorized, "description": "No API key, or not a valid one"}
}


async def pos_caller(
    runtime: ServiceRuntime, credentials: HTTPAuthorizationCredentials | None
) -> PosCaller | None:
    """The POS a valid, unrevoked key speaks for; None for anything else."""
    if credentials is None:
        return None
    secret = credentials.credentials
    tenant = api_keys.tenant_of(secret)
    if tenant is None:
        return None
    async with ReceiptsUnitOfWork.for_tenant(runtime.db, tenant=tenant, source=SOURCE) as uow:
        return await uow.api_keys.caller(api_keys.secret_hash(secret))


def unauthorized() -> JSONResponse:
    return JSONResponse(
        {"detail": "a valid POS API key is required"},
        status_code=status.HTTP_401_UNAUTHORIZED,
        headers={"WWW-Authenticate": "Bearer"},
    )


def problems_response(problems: list[tuple[str, str]]) -> JSONResponse:
    return JSONResponse(
        {"problems": [{"path": path, "message": message} for path, message in problems]},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )
