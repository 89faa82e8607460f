"""Helpers for tests of services built on the kit.

`eventually` waits for events to flow; `service_settings` prepares a service's database and
topics on the test servers; `serving` runs a service's app in the test's event loop, and
`StaffCaller` sends GraphQL to it as one member of staff of one merchant;
`service_fixtures` gives a service's conftest its `app`, `client` and `as_tenant`.
Test-only packages (asgi-lifespan, pytest) are imported where used, so production never
needs them.
"""

import asyncio
import inspect
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Protocol, TypeVar

import httpx
import sqlalchemy as sa

from clientcard_contracts.events.base import Event
from clientcard_contracts.topics import TOPICS
from clientcard_kit.app import create_service_app
from clientcard_kit.auth import issue_dev_token
from clientcard_kit.db import Database, migrations
from clientcard_kit.events import cloudevents
from clientcard_kit.events.kafka import KafkaPublisher
from clientcard_kit.settings import ServiceSettings

DEFAULT_WAIT_SECONDS = 20.0
S = TypeVar("S", bound=ServiceSettings)


async def eventually(
    check: Callable[[], Awaitable[bool]],
    within: float = DEFAULT_WAIT_SECONDS,
    what: str = "the condition",
) -> None:
    """Poll `check` until it holds; fail after `within` seconds, naming what was awaited."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"{what} did not hold within {within:.0f} s")
        await asyncio.sleep(0.1)


class DatabaseServerForTests(Protocol):
    """What the devstack's `postgres_server` and `kafka_server` fixtures offer."""

    def create_database(self, name: str) -> str: ...


class KafkaForTests(Protocol):
    bootstrap_servers: str

    async def create_topics(self, topics: Any, partitions: int = 1) -> list[str]: ...


async def service_settings(
    settings: type[S],
    migrations_dir: Any,
    postgres_server: DatabaseServerForTests,
    kafka_server: KafkaForTests,
    **overrides: Any,
) -> S:
    """A fresh, migrated database and the platform's topics; settings that point at them."""
    name = settings.model_fields["service_name"].default
    url = postgres_server.create_database(f"{name}_tests")
    migrations.upgrade(migrations_dir, url)
    await kafka_server.create_topics(list(TOPICS))
    return settings(
        database_url=url,
        kafka_bootstrap_servers=kafka_server.bootstrap_servers,
        environment="test",
        kafka_consumer_group=f"{name}-tests",
        **overrides,
    )


@asynccontextmanager
async def started(app: Any) -> AsyncIterator[Any]:
    """The app with its lifespan run: consumers, relay and jobs going."""
    from asgi_lifespan import LifespanManager

    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=60):
        yield app


@asynccontextmanager
async def serving(app: Any, name: str = "service") -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client that calls the (started) app in this process."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=f"http://{name}") as client:
        yield client


@contextmanager
def statements_sent(db: Database, record: Callable[..., None]) -> Iterator[None]:
    """Call `record` (a `before_cursor_execute` listener) for each statement either of
    the database's pools sends while the block runs: the transactions' and the reads'."""
    engines = [db.engine.sync_engine, db.reads_engine.sync_engine]
    for engine in engines:
        sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield
    finally:
        for engine in engines:
            sa.event.remove(engine, "before_cursor_execute", record)


class StaffCaller:
    """GraphQL over HTTP as one member of staff of one merchant."""

    def __init__(self, client: httpx.AsyncClient, tenant: str, role: str) -> None:
        self._client = client
        self.tenant = tenant
        token = issue_dev_token(tenant=tenant, role=role, subject=f"{role.lower()}@{tenant}")
        self.headers = {"authorization": f"Bearer {token}"}

    async def __call__(self, query: str, **variables: object) -> dict[str, Any]:
        """The whole answer (data and errors); the HTTP status must be 200."""
        response = await self._client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, **variables: object) -> dict[str, Any]:
        """The data of an answer that must have no errors."""
        answer = await self(query, **variables)
        assert "errors" not in answer, answer
        data: dict[str, Any] = answer["data"]
        return data


async def publish_events(
    bootstrap_servers: str,
    events: Sequence[Event],
    event_ids: Sequence[uuid.UUID | None] | None = None,
) -> list[str]:
    """Send events as their producers do (CloudEvents, binary mode, keyed by customer);
    returns their ids. `event_ids` repeats an id on purpose (a redelivery)."""
    publisher = KafkaPublisher(bootstrap_servers, client_id="tests")
    await publisher.start()
    try:
        ids, messages = [], []
        for index, event in enumerate(events):
            wanted = event_ids[index] if event_ids else None
            envelope = cloudevents.CloudEvent.of(event, source="/tests", event_id=wanted)
            headers, body = cloudevents.encode(envelope)
            messages.append((event.TOPIC, event.key().encode(), body, headers))
            ids.append(envelope.id)
        await publisher.send_many(messages)
    finally:
        await publisher.stop()
    return ids


async def processed(
    database_url: str, event_ids: Sequence[str], within: float = DEFAULT_WAIT_SECONDS
) -> None:
    """Wait until the service's inbox holds every one of the events."""
    db = Database(database_url)
    wanted = list(set(event_ids))

    async def done() -> bool:
        async with db.transaction() as session:
            count = await session.scalar(
                sa.text("SELECT count(DISTINCT event_id) FROM inbox WHERE event_id = ANY(:ids)"),
                {"ids": wanted},
            )
        return bool(count == len(wanted))

    try:
        await eventually(done, within, what="the events to be processed")
    finally:
        await db.dispose()


def service_fixtures(
    service: Any, settings_fixture: str, *, confirms_customers: bool = False
) -> tuple[Any, Any, Any]:
    """The fixtures every service's integration tests share: `app` (started, package
    scope), `client` (HTTP to it) and `as_tenant` (a StaffCaller factory).

    `settings_fixture` names the conftest's own settings fixture; with
    `confirms_customers`, customers the service does not know yet are confirmed by the
    real customers service (the `customers_service` fixture). Bind them in the conftest:
    `app, client, as_tenant = service_fixtures(SERVICE, "bonuses_settings", ...)`.
    """
    import pytest

    async def app(**fixtures: Any) -> AsyncIterator[Any]:
        application = create_service_app(service, fixtures[settings_fixture])
        if confirms_customers:
            fixtures["customers_service"].serve(application.state.runtime)
        async with started(application):
            yield application

    # pytest reads a fixture's dependencies from its signature: name the ones wanted.
    wanted = [settings_fixture, *(["customers_service"] if confirms_customers else [])]
    app.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY) for name in wanted]
    )

    async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
        async with serving(app, service.name) as http:
            yield http

    def as_tenant(client: httpx.AsyncClient) -> Callable[..., StaffCaller]:
        def caller(tenant: str, role: str = "MANAGER") -> StaffCaller:
            return StaffCaller(client, tenant, role)

        return caller

    # Package scope: the app's consumers stop when its tests are done, so they never take
    # events meant for the services that later tests (end to end) run as processes.
    return (
        pytest.fixture(scope="package", name="app")(app),
        pytest.fixture(name="client")(client),
        pytest.fixture(name="as_tenant")(as_tenant),
    )
