"""JWT verification (HS256 with a shared secret, or RS256 and friends through a JWKS URL)."""

import time
import uuid
from collections.abc import Sequence
from typing import Any

import jwt

from clientcard_kit.auth.principal import Principal, Role
from clientcard_kit.settings import DEV_JWT_ISSUER, DEV_JWT_SECRET, JWT_AUDIENCE

REQUIRED_CLAIMS = ("sub", "tenant", "role", "exp", "aud")
# A staff token lives a working day or so; one valid for years is a leaked key waiting.
DEFAULT_MAX_LIFETIME_SECONDS = 24 * 3600
# Verified tokens a service remembers until they expire.
VERIFIED_TOKENS = 4096


class AuthError(Exception):
    """A token is missing or not acceptable; the message says why, without secrets."""


class TokenVerifier:
    def __init__(
        self,
        *,
        secret: str | None,
        algorithms: Sequence[str] = ("HS256",),
        audience: str = JWT_AUDIENCE,
        issuer: str | None = None,
        jwks_url: str | None = None,
        max_lifetime_seconds: int = DEFAULT_MAX_LIFETIME_SECONDS,
    ) -> None:
        if not secret and not jwks_url:
            raise ValueError("a JWT secret or a JWKS URL is required")
        self._secret = secret
        self._algorithms = list(algorithms)
        self._audience = audience
        self._issuer = issuer
        self._max_lifetime = max_lifetime_seconds
        # PyJWKClient caches the key set and refetches it when a token names an unknown kid.
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True) if jwks_url else None
        # Tokens already verified, with their expiry: the gateway forwards one caller's
        # token with every part of a query plan, and decoding it again each time costs
        # more than some of the parts. A hit is still checked against the clock.
        self._verified: dict[str, tuple[Principal, float]] = {}

    @property
    def may_fetch_keys(self) -> bool:
        """Whether `verify` may wait on the network (a JWKS document to fetch)."""
        return self._jwks is not None

    def verify(self, token: str) -> Principal:
        known = self._verified.get(token)
        if known is not None and time.time() < known[1]:
            return known[0]
        claims = self._decode(token)
        self._check_lifetime(claims)
        principal = _principal(claims)
        if len(self._verified) >= VERIFIED_TOKENS:
            # Rarely reached (one entry per caller's token); starting over keeps it simple.
            self._verified.clear()
        self._verified[token] = (principal, float(claims["exp"]))
        return principal

    def _check_lifetime(self, claims: dict[str, Any]) -> None:
        """Refuse a token meant to live longer than the maximum (from its `iat`, or from
        now when it has none)."""
        issued = claims.get("iat")
        start = float(issued) if isinstance(issued, int | float) else time.time()
        if float(claims["exp"]) - start > self._max_lifetime:
            raise AuthError(
                f"the token lives longer than the {self._max_lifetime} s this service accepts"
            )

    def _decode(self, token: str) -> dict[str, Any]:
        try:
            key = self._signing_key(token)
            claims = jwt.decode(
                token,
                key=key,
                algorithms=self._algorithms,
                audience=self._audience,
                issuer=self._issuer,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthError("the token has expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise AuthError("the token is not meant for this service (audience)") from exc
        except jwt.InvalidIssuerError as exc:
            raise AuthError("the token was issued by an unknown issuer") from exc
        except jwt.InvalidSignatureError as exc:
            raise AuthError("the token's signature does not verify") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise AuthError(f"the token lacks the claim {exc.claim!r}") from exc
        except jwt.PyJWTError as exc:
            raise AuthError(f"the token is malformed: {exc}") from exc
        return claims

    def _signing_key(self, token: str) -> "jwt.PyJWK | str":
        if self._jwks is not None:
            return self._jwks.get_signing_key_from_jwt(token)
        assert self._secret is not None
        return self._secret


def _principal(claims: dict[str, object]) -> Principal:
    role = claims["role"]
    if role not in Role.__members__:
        raise AuthError(f"the token's role {role!r} is not one of OWNER, MANAGER, VIEWER")
    tenant = claims["tenant"]
    if not isinstance(tenant, str) or not tenant or len(tenant) > 64:
        raise AuthError("the token's tenant claim must be a non-empty string")
    return Principal(subject=str(claims["sub"]), tenant=tenant, role=Role(str(role)))


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer …` header."""
    if not authorization:
        raise AuthError("authentication required: send 'Authorization: Bearer <token>'")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("the Authorization header must be 'Bearer <token>'")
    return token.strip()


def issue_dev_token(
    *,
    tenant: str,
    role: Role | str,
    subject: str = "dev-user",
    secret: str = DEV_JWT_SECRET,
    ttl_seconds: int = 12 * 3600,
    audience: str = JWT_AUDIENCE,
    issuer: str = DEV_JWT_ISSUER,
) -> str:
    """An HS256 token as the development and test stacks accept it."""
    now = int(time.time())
    claims = {
        "sub": subject,
        "tenant": tenant,
        "role": Role(role).value,
        "aud": audience,
        "iss": issuer,
        "iat": now,
        "exp": now + ttl_seconds,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm="HS256")
