"""The messaging service: messengers, the conversation, mailings and NPS surveys."""

from fastapi import FastAPI

from clientcard_kit.app import ServiceDefinition, create_service_app
from clientcard_messaging.entrypoints.consumers import CUSTOMERS, surveys
from clientcard_messaging.entrypoints.graphql.context import services
from clientcard_messaging.entrypoints.graphql.schema import schema
from clientcard_messaging.entrypoints.http.webhooks import channel_routers
from clientcard_messaging.entrypoints.jobs import automation_job, mailing_job, sending_job
from clientcard_messaging.entrypoints.occasions import OCCASIONS
from clientcard_messaging.settings import MessagingSettings

SERVICE = ServiceDefinition(
    name="messaging",
    settings=MessagingSettings,
    schema=schema,
    services=services,
    consumers=lambda runtime: (CUSTOMERS, surveys(runtime.settings), *OCCASIONS),
    jobs=(sending_job, mailing_job, automation_job),
    routers=channel_routers,
    description="Messenger subscriptions, the conversation, mailings, automations and NPS surveys.",
)


def create_app() -> FastAPI:
    return create_service_app(SERVICE)
