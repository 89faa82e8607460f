"""Sending: the send queue's batches and the mailings' steps, run by the jobs in
`entrypoints.jobs` on every replica (the queues themselves are in `db.send_queue`).

A send batch is worked on tenant by tenant inside one transaction, scoped to each tenant
in turn (`set_tenant` is transaction-local and may change within it): the messages are
locked, handed to the channel's provider, and the outcomes stored with their events.
"""

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from clientcard_contracts.enums import BroadcastStatus, Channel, DeliveryStatus, MessageKind
from clientcard_kit.db import set_tenant
from clientcard_kit.runtime import ServiceRuntime
from clientcard_messaging import commands
from clientcard_messaging.channels.base import Outcome, Outgoing, SendResult
from clientcard_messaging.channels.registry import Providers
from clientcard_messaging.commands import publishing
from clientcard_messaging.db import send_queue
from clientcard_messaging.db.send_queue import Pending, StoredOutcome
from clientcard_messaging.db.unit_of_work import SOURCE, MessagingUnitOfWork
from clientcard_messaging.domain.messages import retry_delay
from clientcard_messaging.settings import MessagingSettings

# How soon a mailing being sent is looked at again to see whether it is finished.
FINISH_CHECK = timedelta(seconds=1)
BROADCASTS_A_TICK = 20


async def send_due(runtime: ServiceRuntime[MessagingSettings]) -> int:
    """Send one batch of due messages; returns how many were handled."""
    settings = runtime.settings
    return await send_batch(runtime.db.sessions, settings, Providers(settings))


async def send_batch(
    sessions: async_sessionmaker[AsyncSession],
    settings: MessagingSettings,
    providers: Providers,
    now: datetime | None = None,
) -> int:
    """Send what is due by `now` (None: the database's clock)."""
    async with sessions() as session, session.begin():
        by_tenant = await send_queue.claim_due_messages(session, settings.send_batch_size, now)
        for tenant, ids in by_tenant.items():
            await set_tenant(session, tenant)
            uow = MessagingUnitOfWork.joining(session, tenant=tenant, source=SOURCE)
            await _send_for_tenant(uow, settings, providers, ids, now or datetime.now(UTC))
        return sum(len(ids) for ids in by_tenant.values())


async def _send_for_tenant(
    uow: MessagingUnitOfWork,
    settings: MessagingSettings,
    providers: Providers,
    ids: list[uuid.UUID],
    now: datetime,
) -> None:
    pending = await _outside_quiet_hours(uow, await send_queue.lock_pending(uow.session, ids), now)
    configured = providers.configured(uow.tenant)
    by_channel: dict[Channel, list[Pending]] = defaultdict(list)
    outcome = _Outcomes(uow, settings, now)
    for item in pending:
        if item.channel not in configured:
            # Queued before the channel's provider was taken out of the settings.
            outcome.fail(item, f"{item.channel.value} is not configured for this merchant")
        elif item.active and item.address:
            by_channel[item.channel].append(item)
        else:
            outcome.fail(item, f"the customer's {item.channel.value} subscription is inactive")
    # Real providers are called side by side, each at its own pace (a mailing over four
    # channels goes at the sum of their rates); the sandbox writes through the session,
    # which takes one statement at a time, so it goes on its own.
    sandboxed = [c for c in by_channel if providers.uses_sandbox(uow.tenant, c)]
    real = [c for c in by_channel if c not in sandboxed]
    for channel in sandboxed:
        outcome.take(by_channel[channel], await _send(uow, providers, channel, by_channel))
    sent = await asyncio.gather(*(_send(uow, providers, c, by_channel) for c in real))
    for channel, results in zip(real, sent, strict=True):
        outcome.take(by_channel[channel], results)
    await outcome.store()
    await uow.commit()  # joined: writes the batch's events and flushes; the tick commits


async def _send(
    uow: MessagingUnitOfWork,
    providers: Providers,
    channel: Channel,
    by_channel: dict[Channel, list[Pending]],
) -> list[SendResult]:
    provider = providers.for_channel(uow.tenant, channel, uow.session)
    return await provider.send([_outgoing(item) for item in by_channel[channel]])


def _outgoing(item: Pending) -> Outgoing:
    address = cast(str, item.address)
    return Outgoing(
        item.id, item.customer_id, address, item.text, item.last_inbound_at, item.template_only
    )


async def _outside_quiet_hours(
    uow: MessagingUnitOfWork, pending: list[Pending], now: datetime
) -> list[Pending]:
    """Automatic messages wait out the tenant's quiet hours (a retry may fall in them); the
    rest of the batch goes."""
    automatic = [item.id for item in pending if item.kind is MessageKind.AUTOMATION]
    if not automatic:
        return pending
    until = (await uow.automations.settings()).quiet_until(now)
    if until is None:
        return pending
    await send_queue.hold_until(uow.session, automatic, until)
    return [item for item in pending if item.kind is not MessageKind.AUTOMATION]


class _Outcomes:
    """What became of a batch, stored with a few set-based statements."""

    def __init__(self, uow: MessagingUnitOfWork, settings: MessagingSettings, now: datetime):
        self._uow = uow
        self._settings = settings
        self._now = now
        self._done: list[tuple[Pending, DeliveryStatus, SendResult]] = []
        self._failed: list[tuple[Pending, str]] = []
        self._retries: list[tuple[Pending, datetime]] = []
        self._blocked: set[tuple[uuid.UUID, Channel]] = set()

    def fail(self, item: Pending, reason: str) -> None:
        self._failed.append((item, reason[:500]))

    def take(self, items: Sequence[Pending], results: Sequence[SendResult]) -> None:
        by_id = {result.message_id: result for result in results}
        for item in items:
            result = by_id.get(item.id) or SendResult(item.id, Outcome.RETRY, reason="no result")
            self._take_one(item, result)

    def _take_one(self, item: Pending, result: SendResult) -> None:
        reason = result.reason or result.outcome.value
        if result.outcome in (Outcome.DELIVERED, Outcome.SENT):
            status = DeliveryStatus(result.outcome.value)
            self._done.append((item, status, result))
        elif (
            result.outcome is Outcome.RETRY and item.attempts + 1 < self._settings.send_max_attempts
        ):
            delay = retry_delay(
                item.attempts + 1,
                base=self._settings.send_retry_base_seconds,
                ceiling=self._settings.send_retry_max_seconds,
                asked=result.retry_after,
            )
            self._retries.append((item, self._now + delay))
        else:
            if result.outcome is Outcome.BLOCKED:
                self._blocked.add((item.customer_id, item.channel))
            self.fail(item, reason)

    async def store(self) -> None:
        session = self._uow.session
        await self._store_done(session)
        failed = [StoredOutcome(item.id, "FAILED", reason=reason) for item, reason in self._failed]
        await send_queue.record_outcomes(session, failed, self._now)
        await send_queue.retry_later(session, [(item.id, due) for item, due in self._retries])
        for customer_id, channel in self._blocked:
            await commands.mark_blocked(self._uow, customer_id, channel)

    async def _store_done(self, session: AsyncSession) -> None:
        if not self._done:
            return
        done = [
            StoredOutcome(
                item.id, status.value, sent.provider_message_id, None, sent.cost, sent.parts
            )
            for item, status, sent in self._done
        ]
        await send_queue.record_outcomes(session, done, self._now)
        delivered: dict[tuple[uuid.UUID, Channel], int] = defaultdict(int)
        for item, status, _ in self._done:
            if status is DeliveryStatus.DELIVERED:
                delivered[(item.customer_id, item.channel)] += 1
        totals = await self._uow.subscriptions.count_delivered(dict(delivered), self._now)
        self._announce(totals)

    def _announce(self, totals: dict[tuple[uuid.UUID, Channel], int]) -> None:
        # Several messages to one customer in a batch count up to the new total.
        counted: dict[tuple[uuid.UUID, Channel], int] = {}
        for item, status, _ in reversed(self._done):
            if status is not DeliveryStatus.DELIVERED:
                continue
            key = (item.customer_id, item.channel)
            counted[key] = counted.get(key, totals.get(key, 1) + 1) - 1
            self._uow.publish(
                publishing.delivered(
                    self._uow.tenant,
                    customer_id=item.customer_id,
                    message_id=item.id,
                    channel=item.channel,
                    kind=item.kind,
                    broadcast_id=item.broadcast_id,
                    sent_at=self._now,
                    delivered_at=self._now,
                    messages_delivered=counted[key],
                )
            )


async def run_broadcasts(runtime: ServiceRuntime[MessagingSettings]) -> int:
    """Start the mailings that are due and close the ones that are fully sent."""
    settings = runtime.settings
    return await advance_broadcasts(runtime.db.sessions, Providers(settings))


async def advance_broadcasts(
    sessions: async_sessionmaker[AsyncSession], providers: Providers
) -> int:
    async with sessions() as session, session.begin():
        claimed = await send_queue.claim_due_broadcasts(session, BROADCASTS_A_TICK)
        for broadcast_id, tenant in claimed:
            await set_tenant(session, tenant)
            uow = MessagingUnitOfWork.joining(session, tenant=tenant, source=SOURCE)
            await _advance(uow, providers, broadcast_id)
        return len(claimed)


async def _advance(uow: MessagingUnitOfWork, providers: Providers, broadcast_id: uuid.UUID) -> None:
    session = uow.session
    now = datetime.now(UTC)
    broadcast = await uow.broadcasts.get(broadcast_id, for_update=True)
    started = await uow.broadcasts.started(broadcast_id)
    done = broadcast is None or broadcast.status in (
        BroadcastStatus.CANCELLED,
        BroadcastStatus.SENT,
    )
    if broadcast is not None and not done and not started:
        await uow.broadcasts.set_status(broadcast_id, BroadcastStatus.SENDING, now)
        tenant = uow.tenant
        await uow.broadcasts.expand(
            broadcast, providers.gaps(tenant), providers.configured(tenant), now
        )
    elif broadcast is not None and not done and not await uow.broadcasts.has_unsent(broadcast_id):
        await uow.broadcasts.set_status(broadcast_id, BroadcastStatus.SENT, now)
        done = True
    if done:
        await send_queue.drop_broadcast(session, broadcast_id)
    else:
        await send_queue.look_again_at(session, broadcast_id, now + FINISH_CHECK)
