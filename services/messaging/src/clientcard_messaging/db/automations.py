"""Automations as each tenant set them up, its messaging settings, the occasions events
bring, the customer facts automations read, and each automation's statistics."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from clientcard_contracts.enums import AutomationKind, Channel
from clientcard_kit.db.repository import Repository
from clientcard_messaging.db.tables import (
    automation_occasions,
    automation_queue,
    automations,
    customers,
    messages,
    messaging_settings,
)
from clientcard_messaging.domain.automations import Automation, Outcome
from clientcard_messaging.domain.quiet_hours import MessagingSettings
from clientcard_messaging.domain.records import BroadcastStats


class AutomationRepository(Repository):
    async def settings(self) -> MessagingSettings:
        row = (await self._session.execute(sa.select(messaging_settings))).first()
        if row is None:
            return MessagingSettings()
        return MessagingSettings(row.time_zone, row.quiet_hours_start, row.quiet_hours_end)

    async def save_settings(self, settings: MessagingSettings) -> None:
        values = {
            "time_zone": settings.time_zone,
            "quiet_hours_start": settings.quiet_hours_start,
            "quiet_hours_end": settings.quiet_hours_end,
        }
        await self._session.execute(
            insert(messaging_settings)
            .values(tenant_id=self._tenant, **values)
            .on_conflict_do_update(index_elements=[messaging_settings.c.tenant_id], set_=values)
        )

    async def all(self) -> dict[AutomationKind, Automation]:
        rows = await self._session.execute(sa.select(automations))
        return {
            AutomationKind(row.kind): Automation(
                kind=AutomationKind(row.kind),
                enabled=row.enabled,
                text=row.text,
                delay_days=row.delay_days,
                channel=Channel(row.channel) if row.channel else None,
            )
            for row in rows
        }

    async def enabled(self, kind: AutomationKind) -> Automation | None:
        found = (await self.all()).get(kind)
        return found if found is not None and found.enabled else None

    async def save(self, automation: Automation, now: datetime) -> None:
        values = {
            "enabled": automation.enabled,
            "text": automation.text,
            "delay_days": automation.delay_days,
            "channel": automation.channel.value if automation.channel else None,
            "updated_at": now,
        }
        await self._session.execute(
            insert(automations)
            .values(tenant_id=self._tenant, kind=automation.kind.value, **values)
            .on_conflict_do_update(
                index_elements=[automations.c.tenant_id, automations.c.kind], set_=values
            )
        )

    async def cancel_waiting(self, kind: AutomationKind, now: datetime) -> None:
        """An automation turned off writes on none of the occasions still waiting."""
        await self._session.execute(
            sa.update(automation_occasions)
            .where(
                automation_occasions.c.kind == kind.value, automation_occasions.c.outcome.is_(None)
            )
            .values(outcome="CANCELLED", decided_at=now)
        )

    async def look_at_tenant(self, due_at: datetime) -> None:
        """Have the automation run look at this tenant by `due_at` (or sooner, as planned)."""
        statement = insert(automation_queue).values(tenant_id=self._tenant, due_at=due_at)
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[automation_queue.c.tenant_id],
                set_={"due_at": sa.func.least(automation_queue.c.due_at, due_at)},
            )
        )

    async def add_occasion(
        self, kind: AutomationKind, customer_id: uuid.UUID, occasion: str, due_at: datetime
    ) -> bool:
        """Note an occasion to write on at `due_at`; False when it was noted before."""
        await self._ensure(customer_id)
        result = await self._session.execute(
            insert(automation_occasions)
            .values(
                tenant_id=self._tenant,
                kind=kind.value,
                customer_id=customer_id,
                occasion=occasion,
                due_at=due_at,
            )
            .on_conflict_do_nothing()
            .returning(automation_occasions.c.customer_id)
        )
        if result.first() is None:
            return False
        await self.look_at_tenant(due_at)
        return True

    async def apply_bonuses(
        self,
        customer_id: uuid.UUID,
        version: int,
        balance: Decimal,
        next_expiry: tuple[datetime | None, Decimal | None],
    ) -> None:
        """Keep the bonus figures of the newest account version."""
        await self._ensure(customer_id)
        await self._session.execute(
            sa.update(customers)
            .where(customers.c.id == customer_id, customers.c.bonuses_version < version)
            .values(
                bonuses_version=version,
                bonus_balance=balance,
                next_expiry_at=next_expiry[0],
                next_expiry_amount=next_expiry[1],
            )
        )

    async def apply_purchase(self, customer_id: uuid.UUID, purchased_at: datetime) -> None:
        await self._ensure(customer_id)
        column = customers.c.last_purchase_at
        await self._session.execute(
            sa.update(customers)
            .where(customers.c.id == customer_id)
            .values(last_purchase_at=sa.func.greatest(column, purchased_at))
        )

    async def _ensure(self, customer_id: uuid.UUID) -> None:
        await self._session.execute(
            insert(customers)
            .values(id=customer_id, tenant_id=self._tenant)
            .on_conflict_do_nothing(index_elements=[customers.c.id])
        )

    async def stats(self, kinds: Iterable[AutomationKind]) -> dict[AutomationKind, BroadcastStats]:
        status = messages.c.status

        def counted(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
            return sa.func.count().filter(condition)

        rows = await self._session.execute(
            sa.select(
                automation_occasions.c.kind,
                counted(automation_occasions.c.outcome == Outcome.QUEUED.value),
                counted(status.in_(("SENT", "DELIVERED", "READ"))),
                counted(status.in_(("DELIVERED", "READ"))),
                counted(status == "READ"),
                counted(status == "FAILED"),
                counted(messages.c.replied_at.is_not(None)),
                counted(automation_occasions.c.outcome == Outcome.UNREACHABLE.value),
                counted(automation_occasions.c.outcome == Outcome.NOT_CONFIGURED.value),
            )
            .select_from(
                automation_occasions.outerjoin(
                    messages, messages.c.id == automation_occasions.c.message_id
                )
            )
            .where(automation_occasions.c.kind.in_([kind.value for kind in kinds]))
            .group_by(automation_occasions.c.kind)
        )
        return {AutomationKind(row[0]): BroadcastStats(*(int(n) for n in row[1:])) for row in rows}
