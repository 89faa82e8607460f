"""The contract's messages that send themselves: automations and messaging settings, their
queries and mutations (mixed into the schema's Query and Mutation)."""

from datetime import UTC, datetime

import strawberry

from clientcard_contracts.enums import AutomationKind, Channel
from clientcard_kit.auth import Role
from clientcard_kit.graphql.enums import AutomationKindType, ChannelType
from clientcard_kit.graphql.records import from_record
from clientcard_messaging.commands import automations as commands
from clientcard_messaging.domain import automations as rules
from clientcard_messaging.domain import quiet_hours
from clientcard_messaging.domain.automations import Automation as AutomationRecord
from clientcard_messaging.domain.records import BroadcastStats as StatsRecord
from clientcard_messaging.entrypoints.graphql.context import Info
from clientcard_messaging.entrypoints.graphql.types import BroadcastStats


@strawberry.type
class Automation:
    kind: AutomationKindType  # type: ignore[valid-type]
    enabled: bool
    text: str
    delay_days: int | None
    channel: ChannelType | None  # type: ignore[valid-type]
    stats: BroadcastStats

    @classmethod
    def of(cls, automation: AutomationRecord, stats: StatsRecord) -> "Automation":
        return from_record(cls, automation, stats=from_record(BroadcastStats, stats))


@strawberry.type
class MessagingSettings:
    time_zone: str
    quiet_hours_start: int | None
    quiet_hours_end: int | None

    @classmethod
    def of(cls, settings: quiet_hours.MessagingSettings) -> "MessagingSettings":
        return from_record(cls, settings)


@strawberry.input
class AutomationInput:
    kind: AutomationKindType  # type: ignore[valid-type]
    enabled: bool
    text: str
    delay_days: int | None = strawberry.UNSET
    # UNSET rather than None: a printed `= null` on an enum splits the two composers.
    channel: ChannelType | None = strawberry.UNSET  # type: ignore[valid-type]

    def to_domain(self) -> AutomationRecord:
        return rules.automation(
            AutomationKind(self.kind),
            enabled=self.enabled,
            text=self.text,
            delay_days=None if self.delay_days is strawberry.UNSET else self.delay_days,
            channel=Channel(self.channel) if self.channel else None,
        )


@strawberry.input
class MessagingSettingsInput:
    time_zone: str | None = strawberry.UNSET
    quiet_hours_start: int | None = strawberry.UNSET
    quiet_hours_end: int | None = strawberry.UNSET

    def quiet_hours(self) -> tuple[int | None, int | None] | None:
        """The quiet hours asked for; None when neither bound was given (kept)."""
        if self.quiet_hours_start is strawberry.UNSET and self.quiet_hours_end is strawberry.UNSET:
            return None
        start, end = self.quiet_hours_start, self.quiet_hours_end
        return (
            None if start is strawberry.UNSET else start,
            None if end is strawberry.UNSET else end,
        )


async def _with_stats(info: Info, automations: list[AutomationRecord]) -> list[Automation]:
    async with info.context.services.uow() as uow:
        stats = await uow.automations.stats(a.kind for a in automations)
    return [Automation.of(a, stats.get(a.kind, StatsRecord())) for a in automations]


@strawberry.type
class AutomationQueries:
    @strawberry.field
    async def automations(self, info: Info) -> list[Automation]:
        return await _with_stats(info, await info.context.services.run(commands.every_automation))

    @strawberry.field
    async def messaging_settings(self, info: Info) -> MessagingSettings:
        async with info.context.services.uow() as uow:
            return MessagingSettings.of(await uow.automations.settings())


@strawberry.type
class AutomationMutations:
    @strawberry.mutation
    async def update_automation(self, info: Info, input: AutomationInput) -> Automation:
        info.context.require(Role.MANAGER)
        automation = input.to_domain()
        run = info.context.services.run
        saved = await run(commands.update_automation, automation, datetime.now(UTC))
        return (await _with_stats(info, [saved]))[0]

    @strawberry.mutation
    async def update_messaging_settings(
        self, info: Info, input: MessagingSettingsInput
    ) -> MessagingSettings:
        info.context.require(Role.MANAGER)
        zone = None if input.time_zone is strawberry.UNSET else input.time_zone
        changed = await info.context.services.run(
            commands.update_messaging_settings, time_zone=zone, hours=input.quiet_hours()
        )
        return MessagingSettings.of(changed)
