"""The messaging service: messengers, the conversation, mailings and NPS surveys."""

from pathlib import Path

from fastapi import FastAPI

from clientcard_kit.app import ServiceDefinition, create_service_app
from clientcard_kit.runtime import ServiceRuntime, Subscription
from clientcard_messaging import sending
from clientcard_messaging.api.context import services
from clientcard_messaging.api.schema import schema
from clientcard_messaging.api.webhooks import channel_routers
from clientcard_messaging.events.handlers import CUSTOMERS, surveys
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
    jobs=sending.JOBS,
    routers=channel_routers,
    description="Messenger subscriptions, the conversation, mailings and NPS surveys.",
)


def create_app() -> FastAPI:
    return create_service_app(SERVICE)
