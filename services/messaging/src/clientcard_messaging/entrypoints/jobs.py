"""The background jobs of messaging: the send queue, the mailings and the automations, on
every replica."""

from datetime import UTC, datetime

from clientcard_kit.jobs import PeriodicJob
from clientcard_kit.runtime import ServiceRuntime
from clientcard_messaging.channels.registry import Providers
from clientcard_messaging.commands.automation_runs import run_automations
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


async def _automations_now(runtime: ServiceRuntime[MessagingSettings]) -> int:
    providers = Providers(runtime.settings)
    return await run_automations(runtime.db.sessions, providers, datetime.now(UTC))


async def automation_job(runtime: ServiceRuntime[MessagingSettings]) -> None:
    """The automation run: messages that send themselves, by the wall clock."""
    interval = runtime.settings.automation_poll_interval_seconds
    await PeriodicJob("automations", _automations_now, interval)(runtime)
