"""Links that work without a token until they expire: an HMAC over what the link names.

A service that hands out such a link signs what the link names (e.g. a job, its tenant
and a file name) with its expiry; whoever follows the link brings those values back, and
the service checks them against the signature before anything else. Changing any value,
the expiry included, makes the link forged; an unchanged link past its expiry is
expired. Nothing is stored: the secret alone tells a genuine link.
"""

import hashlib
import hmac
import json
from collections.abc import Sequence
from enum import StrEnum


class LinkCheck(StrEnum):
    VALID = "VALID"
    FORGED = "FORGED"
    EXPIRED = "EXPIRED"


class LinkSigner:
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("a signing secret is required")
        self._key = secret.encode()

    def signature(self, subject: Sequence[str], expires: int) -> str:
        """The signature of a link naming `subject` until `expires` (Unix seconds)."""
        # JSON keeps the parts apart: ("a/b", "c") and ("a", "b/c") sign differently.
        message = json.dumps([*subject, expires], ensure_ascii=False).encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def check(self, subject: Sequence[str], expires: int, signature: str, now: float) -> LinkCheck:
        """Whether a followed link is genuine and still in force at `now` (Unix seconds).

        The signature is checked first, so a forged link learns nothing from its expiry.
        """
        if not hmac.compare_digest(self.signature(subject, expires), signature):
            return LinkCheck.FORGED
        return LinkCheck.VALID if now < expires else LinkCheck.EXPIRED
