"""POS API key secrets: what a POS sends as `Authorization: Bearer <secret>`.

A secret carries its tenant in the clear before a random part: the service reads the
tenant from it to open a transaction scoped to that tenant (row-level security keeps
every key row invisible without one), then compares hashes. A secret whose tenant part
was altered hashes to nothing stored, so the tenant part grants nothing by itself.
The random part has 256 bits, so a fast hash is enough: there is nothing to guess.
"""

import base64
import binascii
import hashlib
import secrets

PREFIX = "ccpos"


def new_secret(tenant: str) -> str:
    encoded = base64.urlsafe_b64encode(tenant.encode()).decode().rstrip("=")
    return f"{PREFIX}.{encoded}.{secrets.token_urlsafe(32)}"


def tenant_of(secret: str) -> str | None:
    """The tenant a well-formed secret names; None for anything else."""
    parts = secret.split(".")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    try:
        tenant = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return tenant or None


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
