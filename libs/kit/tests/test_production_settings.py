"""A service configured for production with a published development secret never starts."""

import httpx
import pytest
from pydantic import SecretStr

from clientcard_kit.app import ServiceDefinition, UnsafeConfiguration, create_service_app
from clientcard_kit.settings import ServiceSettings

from .graphql.toy import toy_schema


def test_development_may_use_the_development_secrets() -> None:
    assert ServiceSettings(environment="development").production_problems() == []


def test_production_names_every_published_secret_it_was_given() -> None:
    problems = ServiceSettings(environment="production").production_problems()
    assert len(problems) == 2
    assert "JWT_SECRET" in problems[0]
    assert "INTERNAL_SECRET" in problems[1]


def test_production_with_its_own_secrets_or_a_key_set_may_start() -> None:
    own = ServiceSettings(
        environment="production",
        jwt_secret=SecretStr("a-secret-of-this-deployment-only-0123456789"),
        internal_secret=SecretStr("another-secret-of-this-deployment-9876543210"),
    )
    assert own.production_problems() == []
    with_jwks = own.model_copy(update={"jwt_secret": SecretStr(""), "jwks_url": "https://id"})
    assert with_jwks.production_problems() == []


def test_the_app_refuses_to_be_built_with_them() -> None:
    # The definition is never read: the refusal comes first.
    with pytest.raises(UnsafeConfiguration, match="refuses to start"):
        create_service_app(object(), ServiceSettings(environment="production"))  # type: ignore[arg-type]


@pytest.mark.parametrize(("environment", "served"), [("development", True), ("production", False)])
async def test_graphiql_is_never_served_in_production(environment: str, served: bool) -> None:
    settings = ServiceSettings(
        environment=environment,
        graphiql=True,
        jwt_secret=SecretStr("a-secret-of-this-deployment-only-0123456789"),
        internal_secret=SecretStr("another-secret-of-this-deployment-9876543210"),
    )
    definition = ServiceDefinition(
        name="toy",
        settings=lambda: settings,
        schema=toy_schema(),
        services=lambda runtime, principal: None,
    )
    app = create_service_app(definition, settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://toy") as http:
        page = await http.get("/graphql", headers={"accept": "text/html"})
    assert ("text/html" in page.headers.get("content-type", "")) is served
