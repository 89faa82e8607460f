"""Every operation needs a valid token, except reading the schema; roles guard the rest."""

from typing import Any

import pytest

from clientcard_kit.auth import Principal, Role
from clientcard_kit.auth.tokens import AuthError
from clientcard_kit.graphql import Forbidden, RequestContext, Unauthenticated

from .support import TENANT, Subgraph, bearer, codes, messages, serve

CUSTOMER = '{ customer(id: "1") { id name } }'


async def test_a_valid_token_reads(subgraph: Subgraph) -> None:
    body = await subgraph.post(CUSTOMER, headers=bearer(Role.VIEWER))
    assert body == {"data": {"customer": {"id": "1", "name": "Customer 1"}}}
    principal = subgraph.requests[-1].principal
    assert principal == Principal(subject="dev-user", tenant=TENANT, role=Role.VIEWER)


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "authentication required"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "must be 'Bearer <token>'"),
        ({"Authorization": "Bearer not-a-jwt"}, "the token is malformed"),
        (bearer(ttl_seconds=-60), "the token has expired"),
        (bearer(secret="another-secret-of-sufficient-length"), "signature does not verify"),
        (bearer(audience="another-service"), "not meant for this service (audience)"),
    ],
    ids=["missing", "not-bearer", "malformed", "expired", "bad-signature", "wrong-audience"],
)
async def test_an_operation_without_a_valid_token_is_refused_with_the_reason(
    subgraph: Subgraph, headers: dict[str, str], reason: str
) -> None:
    body = await subgraph.post(CUSTOMER, headers=headers)
    assert body["data"] is None
    assert codes(body) == ["UNAUTHENTICATED"]
    [message] = messages(body)
    assert reason in message


async def test_the_refused_operation_never_runs(subgraph: Subgraph) -> None:
    body = await subgraph.post('mutation { renameCustomer(id: "1", name: "Eve") { name } }')
    assert codes(body) == ["UNAUTHENTICATED"]
    check = await subgraph.post(CUSTOMER, headers=bearer())
    assert check["data"]["customer"]["name"] == "Customer 1"


@pytest.mark.parametrize(
    "query",
    [
        "{ _service { sdl } }",
        "{ __typename }",
        "{ __schema { queryType { name } } }",
        '{ __type(name: "Customer") { name } }',
        "query Sdl { ...Sdl } fragment Sdl on Query { _service { sdl } }",
        "{ ... on Query { __typename } }",
    ],
)
async def test_reading_the_schema_needs_no_token(subgraph: Subgraph, query: str) -> None:
    body = await subgraph.post(query)
    assert "errors" not in body, body
    assert body["data"]


@pytest.mark.parametrize(
    "query",
    [
        '{ _service { sdl } customer(id: "1") { id } }',
        "{ ...Sneak } fragment Sneak on Query { __typename customers { totalCount } }",
        '{ _entities(representations: [{__typename: "Customer", id: "1"}]) { __typename } }',
    ],
    ids=["beside-sdl", "in-a-fragment", "entities"],
)
async def test_data_beside_schema_fields_still_needs_a_token(
    subgraph: Subgraph, query: str
) -> None:
    body = await subgraph.post(query)
    assert codes(body) == ["UNAUTHENTICATED"]
    assert body["data"] is None


async def test_a_viewer_cannot_call_a_manager_mutation(subgraph: Subgraph) -> None:
    body = await subgraph.post(
        'mutation { renameCustomer(id: "1", name: "Eve") { name } }', headers=bearer(Role.VIEWER)
    )
    assert codes(body) == ["FORBIDDEN"]
    assert messages(body) == ["requires MANAGER role or higher"]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.OWNER])
async def test_a_manager_or_owner_can(subgraph: Subgraph, role: Role) -> None:
    body = await subgraph.post(
        'mutation { renameCustomer(id: "1", name: "Eve") { name } }', headers=bearer(role)
    )
    assert body == {"data": {"renameCustomer": {"name": "Eve"}}}


def context(role: Role | None, auth_error: AuthError | None = None) -> RequestContext[None]:
    principal = None if role is None else Principal(subject="u", tenant=TENANT, role=role)
    return RequestContext(principal=principal, services=None, auth_error=auth_error)


def test_require_returns_the_principal_of_a_sufficient_role() -> None:
    assert context(Role.OWNER).require(Role.MANAGER).role is Role.OWNER
    assert context(Role.VIEWER).require().role is Role.VIEWER


def test_require_names_the_role_needed() -> None:
    with pytest.raises(Forbidden, match=r"^requires OWNER role$"):
        context(Role.MANAGER).require(Role.OWNER)
    with pytest.raises(Unauthenticated, match="the token has expired"):
        context(None, AuthError("the token has expired")).require()
    with pytest.raises(Unauthenticated, match="authentication required"):
        context(None).require()


@pytest.mark.parametrize("query", ["{ _service { sdl } }", "{ __schema { queryType { name } } }"])
async def test_outside_development_the_schema_needs_a_token_too(schema: Any, query: str) -> None:
    closed = serve(schema, schema_is_public=False)
    async with closed.client:
        assert codes(await closed.post(query)) == ["UNAUTHENTICATED"]
        assert "errors" not in await closed.post(query, headers=bearer())
