"""A verified token is remembered until it expires, never beyond, and only when it verified."""

import time

import pytest

from clientcard_kit.auth import AuthError, Role, TokenVerifier, issue_dev_token
from clientcard_kit.auth import tokens as tokens_module
from clientcard_kit.settings import DEV_JWT_SECRET


def verifier() -> TokenVerifier:
    return TokenVerifier(secret=DEV_JWT_SECRET)


def test_the_same_token_gives_the_same_caller_every_time() -> None:
    check = verifier()
    token = issue_dev_token(tenant="salon-a", role=Role.MANAGER, subject="anna")
    first = check.verify(token)
    assert (first.tenant, first.role, first.subject) == ("salon-a", Role.MANAGER, "anna")
    assert check.verify(token) == first


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    check = verifier()
    token = issue_dev_token(tenant="salon-a", role=Role.VIEWER, ttl_seconds=1)
    check.verify(token)
    # The expiry has one-second precision: wait until it has surely passed.
    time.sleep(2.1)
    with pytest.raises(AuthError, match="expired"):
        check.verify(token)


def test_a_token_that_fails_is_refused_every_time() -> None:
    check = verifier()
    forged = issue_dev_token(tenant="salon-a", role=Role.OWNER, secret="not-the-secret" * 3)
    for _ in range(2):
        with pytest.raises(AuthError, match="signature"):
            check.verify(forged)


def test_many_callers_keep_being_verified_past_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens_module, "VERIFIED_TOKENS", 3)
    check = verifier()
    tokens = [issue_dev_token(tenant=f"salon-{n}", role=Role.VIEWER) for n in range(7)]
    for token in tokens * 2:
        assert check.verify(token).tenant == f"salon-{tokens.index(token)}"
