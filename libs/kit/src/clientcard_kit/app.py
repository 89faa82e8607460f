"""The FastAPI application of a service, assembled from what the service declares.

A service describes itself with a `ServiceDefinition` (its GraphQL schema, Kafka
consumers, background jobs, extra HTTP routes, and what its resolvers need); everything
else (health, metrics, logs, auth, the outbox relay, migrations, start and stop order) is
the same for all four.
"""

import gc
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Generic, TypeVar

from fastapi import APIRouter, FastAPI
from strawberry.federation import Schema

from clientcard_kit.auth import Principal, TokenVerifier
from clientcard_kit.body_limit import BodyLimit
from clientcard_kit.events.inbox import INBOX_PRUNING
from clientcard_kit.graphql import graphql_router, make_context_getter
from clientcard_kit.observability import tracing
from clientcard_kit.observability.health import health_router
from clientcard_kit.observability.logging import configure_logging
from clientcard_kit.observability.middleware import RequestObservability
from clientcard_kit.runtime import BackgroundJob, ServiceRuntime, Subscription
from clientcard_kit.settings import ServiceSettings

# The service's settings: its consumers, jobs, routes and resolvers' services get a
# runtime of them (`ServiceRuntime[MessagingSettings]`).
S = TypeVar("S", bound=ServiceSettings)


@dataclass(frozen=True)
class ServiceDefinition(Generic[S]):
    """What a service runs: the one page each service's `service.py` fills in."""

    name: str
    settings: Callable[[], S]
    schema: Schema
    # Builds what resolvers find in `info.context.services` for one request.
    services: Callable[[ServiceRuntime[S], Principal | None], Any]
    # Every Kafka consumer of the service: a `Subscription` (a message at a time) or a
    # `BatchSubscription` (a tenant's part of a batch at a time).
    consumers: Callable[[ServiceRuntime[S]], Sequence[Subscription]] = lambda runtime: ()
    # The timers: work done beside requests and consumers until the service stops.
    jobs: Sequence[BackgroundJob[S]] = ()
    routers: Callable[[ServiceRuntime[S]], Sequence[APIRouter]] = lambda runtime: ()
    description: str = ""

    @property
    def package(self) -> str:
        """The service's Python package: `customers` is `clientcard_customers`."""
        return f"clientcard_{self.name}"

    @property
    def migrations(self) -> Path:
        """The service's Alembic folder: `db/migrations` in its package."""
        return Path(str(files(self.package))) / "db" / "migrations"


class UnsafeConfiguration(RuntimeError):
    """A production service configured with what only development may use."""


def verifier_for(settings: ServiceSettings) -> TokenVerifier:
    return TokenVerifier(
        secret=settings.jwt_secret.get_secret_value() or None,
        algorithms=settings.jwt_algorithms,
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
        jwks_url=settings.jwks_url,
        max_lifetime_seconds=settings.jwt_max_lifetime_seconds,
    )


def create_service_app(definition: ServiceDefinition[S], settings: S | None = None) -> FastAPI:
    settings = settings or definition.settings()
    problems = settings.production_problems()
    if problems:
        # As the gateway does: a production service with a public secret never starts.
        reasons = "; ".join(problems)
        raise UnsafeConfiguration(f"{settings.service_name} refuses to start: {reasons}")
    configure_logging(settings.service_name, settings.log_level)
    if tracing.configure(settings.service_name):
        tracing.instrument_libraries()
    runtime = ServiceRuntime.create(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start(definition.consumers(runtime), (*definition.jobs, INBOX_PRUNING))
        # Everything built so far (modules, schema, table metadata, pools) lives as long as
        # the process: out of the collector's sight, a full collection no longer walks it,
        # which took one request in a few hundred 80-100 ms longer than the rest.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title=f"clientcard {definition.name}",
        description=definition.description,
        lifespan=lifespan,
        telemetry=tracing.FASTAPI_TELEMETRY,  # type: ignore[arg-type]
    )
    app.state.runtime = runtime
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestObservability, service=settings.service_name)
    app.include_router(
        health_router({"database": runtime.db.ping, "kafka": runtime.publisher.check})
    )
    context_getter = make_context_getter(
        verifier_for(settings),
        lambda principal: definition.services(runtime, principal),
        # Composition reads the checked-in SDL files: outside development no one needs
        # the schema anonymously.
        schema_is_public=settings.environment == "development",
    )
    app.include_router(
        graphql_router(
            definition.schema,
            context_getter,
            # Never in production, whatever GRAPHIQL says.
            graphiql=settings.graphiql and settings.environment != "production",
        ),
        prefix="/graphql",
    )
    for router in definition.routers(runtime):
        app.include_router(router)
    tracing.instrument_app(app)
    return app
