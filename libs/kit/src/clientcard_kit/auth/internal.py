"""Tokens of the calls services make to each other, on behalf of one tenant.

A service asking another one (receipts asking customers whether a customer exists,
receipts passing a till's reservation on to bonuses) has no member of staff's token to
forward: a POS key or a Kafka message started the work. It signs a short-lived token of
its own, naming the tenant and itself, with the secret the services share; the answering
service accepts only such tokens on its `/internal` routes, and nothing else there.
"""

import time
import uuid
from dataclasses import dataclass

import jwt

from clientcard_kit.auth.tokens import AuthError

INTERNAL_AUDIENCE = "clientcard-internal"
TOKEN_SECONDS = 120
# A token is signed again once it has less than this left: one signature per tenant a
# minute or so, not one per call.
RENEW_BEFORE_SECONDS = 60


@dataclass(frozen=True, slots=True)
class InternalCaller:
    service: str
    tenant: str


class InternalTokens:
    def __init__(self, secret: str, service: str) -> None:
        if not secret:
            raise ValueError("an internal secret is required")
        self._secret = secret
        self._service = service
        self._issued: dict[str, tuple[str, float]] = {}

    def issue(self, tenant: str) -> str:
        known = self._issued.get(tenant)
        now = time.time()
        if known is not None and known[1] - now > RENEW_BEFORE_SECONDS:
            return known[0]
        expires = now + TOKEN_SECONDS
        claims = {
            "sub": self._service,
            "tenant": tenant,
            "aud": INTERNAL_AUDIENCE,
            "iat": int(now),
            "exp": int(expires),
            "jti": uuid.uuid4().hex,
        }
        token = jwt.encode(claims, self._secret, algorithm="HS256")
        self._issued[tenant] = (token, expires)
        return token

    def verify(self, token: str) -> InternalCaller:
        try:
            claims = jwt.decode(
                token,
                key=self._secret,
                algorithms=["HS256"],
                audience=INTERNAL_AUDIENCE,
                options={"require": ["sub", "tenant", "exp", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise AuthError(f"not a token of another service: {exc}") from exc
        tenant = claims["tenant"]
        if not isinstance(tenant, str) or not tenant or len(tenant) > 64:
            raise AuthError("the token's tenant claim must be a non-empty string")
        return InternalCaller(service=str(claims["sub"]), tenant=tenant)
