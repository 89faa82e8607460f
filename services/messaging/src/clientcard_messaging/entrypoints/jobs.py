"""The background jobs of messaging: the send queue and the mailings, on every replica."""

from clientcard_kit.jobs import PeriodicJob
from clientcard_kit.runtime import ServiceRuntime
from clientcard_messaging.commands.sending import run_broadcasts, send_due
from clientcard_messaging.settings import MessagingSettings


def _settings(runtime: ServiceRuntime) -> MessagingSettings:
    settings = runtime.settings
    assert isinstance(settings, MessagingSettings)
    return settings


async def sending_job(runtime: ServiceRuntime) -> None:
    """The send-queue job, polling as often as the running service's settings say."""
    interval = _settings(runtime).send_poll_interval_seconds
    await PeriodicJob("send-queue", send_due, interval)(runtime)


async def mailing_job(runtime: ServiceRuntime) -> None:
    """The mailing job: starts due mailings and closes finished ones."""
    interval = _settings(runtime).broadcast_poll_interval_seconds
    await PeriodicJob("broadcasts", run_broadcasts, interval)(runtime)


JOBS = (sending_job, mailing_job)
