"""Tokens of an identity provider, verified with the key set it publishes (JWKS).

The provider is a local HTTP server answering its JWKS document as providers do
(`{"keys": [{"kty": "RSA", "kid": ..., "n": ..., "e": ...}]}`); the keys are real RSA keys.
"""

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from clientcard_kit.auth import AuthError, Role, TokenVerifier
from clientcard_kit.graphql import authenticate
from clientcard_kit.settings import JWT_AUDIENCE

KID = "salon-idp-1"
PROVIDER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def key_set() -> bytes:
    public = json.loads(RSAAlgorithm.to_jwk(PROVIDER_KEY.public_key()))
    return json.dumps({"keys": [{**public, "kid": KID, "use": "sig", "alg": "RS256"}]}).encode()


class Provider(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = key_set()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    server.shutdown()
    server.server_close()


def token(signing_key: rsa.RSAPrivateKey, **claims: Any) -> str:
    payload = {
        "sub": "anna@salon",
        "tenant": "salon-a",
        "role": "MANAGER",
        "aud": JWT_AUDIENCE,
        "exp": int(time.time()) + 600,
        **claims,
    }
    return jwt.encode(payload, signing_key, algorithm="RS256", headers={"kid": KID})


def verifier(url: str) -> TokenVerifier:
    return TokenVerifier(secret=None, algorithms=("RS256",), jwks_url=url)


def test_a_token_of_the_provider_verifies_with_its_published_key(jwks_url: str) -> None:
    principal = verifier(jwks_url).verify(token(PROVIDER_KEY))
    assert (principal.subject, principal.tenant, principal.role) == (
        "anna@salon",
        "salon-a",
        Role.MANAGER,
    )


def test_a_token_signed_with_another_key_is_refused(jwks_url: str) -> None:
    with pytest.raises(AuthError, match="signature"):
        verifier(jwks_url).verify(token(OTHER_KEY))


async def test_a_request_is_authenticated_off_the_event_loop(jwks_url: str) -> None:
    check = verifier(jwks_url)
    assert check.may_fetch_keys
    principal, error = await authenticate(check, f"Bearer {token(PROVIDER_KEY, role='VIEWER')}")
    assert error is None
    assert principal is not None
    assert principal.role is Role.VIEWER
    refused, why = await authenticate(check, f"Bearer {token(OTHER_KEY)}")
    assert refused is None
    assert why is not None
