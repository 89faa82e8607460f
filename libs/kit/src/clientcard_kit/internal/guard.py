"""The guard of `/internal` routes: only another service's token for one tenant passes."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from clientcard_kit.auth import AuthError
from clientcard_kit.auth.internal import InternalCaller

_bearer = HTTPBearer(auto_error=False)


async def internal_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> InternalCaller:
    if credentials is None:
        raise HTTPException(401, "a service token is required")
    try:
        caller: InternalCaller = request.app.state.runtime.internal_tokens.verify(
            credentials.credentials
        )
    except AuthError as refused:
        raise HTTPException(401, str(refused)) from None
    return caller


# A route's parameter: `caller: FromService` is the service and tenant that called.
FromService = Annotated[InternalCaller, Depends(internal_caller)]
