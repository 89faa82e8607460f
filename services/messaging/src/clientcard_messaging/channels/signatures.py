"""Checks that an inbound webhook call is the provider's: a shared secret it sends back,
or a signature of the raw body made with a secret only the provider and the service know.
Compared in constant time, so timing tells a forger nothing."""

import hashlib
import hmac


def same_secret(given: object, expected: str) -> bool:
    """Whether the call carries the expected secret (a string, else it is no match)."""
    return isinstance(given, str) and hmac.compare_digest(given.encode(), expected.encode())


def sha256_signed(body: bytes, secret: str, header: str | None, prefix: str = "sha256=") -> bool:
    """Whether `header` is `<prefix><hex HMAC-SHA256 of body with secret>`."""
    if header is None or not header.startswith(prefix):
        return False
    made = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header[len(prefix) :].lower().encode(), made.encode())


def md5_signed(parts: list[str], secret: str, given: object) -> bool:
    """Whether `given` is the hex MD5 of the parts and the secret joined by ':' (SMSC's
    signature of the calls to a client's handler)."""
    made = hashlib.md5(":".join([*parts, secret]).encode(), usedforsecurity=False).hexdigest()
    return same_secret(given.lower() if isinstance(given, str) else given, made)
