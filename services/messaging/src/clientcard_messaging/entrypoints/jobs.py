"""The background jobs of messaging: the send queue and the mailings, on every replica."""

from clientcard_kit.jobs import PeriodicJob
from clientcard_kit.runtime import ServiceRuntime
from clientcard_messaging.commands.sending import run_broadcasts, send_due
from clientcard_messaging.settings import MessagingSettings


async def sending_job(runtime: ServiceRuntime[MessagingSettings]) -> None:
    """The send-queue job, polling as often as the running service's settings say."""
    interval = runtime.settings.send_poll_interval_seconds
    await PeriodicJob("send-queue", send_due, interval)(runtime)


async def mailing_job(runtime: ServiceRuntime[MessagingSettings]) -> None:
    """The mailing job: starts due mailings and closes finished ones."""
    interval = runtime.settings.broadcast_poll_interval_seconds
    await PeriodicJob("broadcasts", run_broadcasts, interval)(runtime)
