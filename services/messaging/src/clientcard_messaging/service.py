"""The messaging service: messengers, the conversation, mailings and NPS surveys."""

from pathlib import Path

from fastapi import FastAPI

from clientcard_kit.app import ServiceDefinition, create_service_app
from clientcard_kit.runtime import ServiceRuntime, Subscription
from clientcard_messaging.entrypoints import jobs
from clientcard_messaging.entrypoints.consumers import CUSTOMERS, surveys
from clientcard_messaging.entrypoints.graphql.context import services
from clientcard_messaging.entrypoints.graphql.schema import schema
from clientcard_messaging.entrypoints.http.webhooks import channel_routers
from clientcard_messaging.settings import MessagingSettings


def _subscriptions(runtime: ServiceRuntime) -> tuple[Subscription, ...]:
    settings = runtime.settings
    assert isinstance(settings, MessagingSettings)
    return (CUSTOMERS, surveys(settings))


SERVICE = ServiceDefinition(
    name="messaging",
    settings=MessagingSettings,
    schema=schema,
    migrations=Path(__file__).parent / "db" / "migrations",
    services=services,
    subscriptions=_subscriptions,
    jobs=jobs.JOBS,
    routers=channel_routers,
    description="Messenger subscriptions, the conversation, mailings and NPS surveys.",
)


def create_app() -> FastAPI:
    return create_service_app(SERVICE)
