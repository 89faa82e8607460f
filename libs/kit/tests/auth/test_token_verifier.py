"""A verified token is remembered until it expires, never beyond, and only when it verified."""

import time

import jwt
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
    # The expiry has one-second precision: a one-second token issued at the end of a
    # second would already be expired at the start of the next, so it lives two.
    token = issue_dev_token(tenant="salon-a", role=Role.VIEWER, ttl_seconds=2)
    check.verify(token)
    # Wait until the expiry has surely passed.
    time.sleep(3.1)
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


def test_a_token_meant_to_live_for_years_is_refused() -> None:
    check = verifier()
    ten_years = issue_dev_token(tenant="salon-a", role=Role.OWNER, ttl_seconds=10 * 365 * 86400)
    with pytest.raises(AuthError, match="lives longer"):
        check.verify(ten_years)
    day = issue_dev_token(tenant="salon-a", role=Role.OWNER, ttl_seconds=24 * 3600)
    assert check.verify(day).tenant == "salon-a"
    stricter = TokenVerifier(secret=DEV_JWT_SECRET, max_lifetime_seconds=3600)
    with pytest.raises(AuthError, match="3600"):
        stricter.verify(day)


def test_without_iat_the_lifetime_counts_from_now() -> None:
    claims = {"sub": "a", "tenant": "t", "role": "OWNER", "aud": "clientcard"}
    far = jwt.encode({**claims, "exp": int(time.time()) + 2 * 86400}, DEV_JWT_SECRET, "HS256")
    near = jwt.encode({**claims, "exp": int(time.time()) + 3600}, DEV_JWT_SECRET, "HS256")
    with pytest.raises(AuthError, match="lives longer"):
        verifier().verify(far)
    assert verifier().verify(near).subject == "a"
