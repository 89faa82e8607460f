"""Benchmark of a mailing spread over the four real providers, against their local doubles.

Fills a database with one tenant of N members in one segment, split evenly over Telegram,
VK, WhatsApp and SMS (each member's only, default channel), configures the tenant with a
Telegram bot, a VK community, a WhatsApp number and an SMSC account pointing at local
stand-ins of their APIs (`clientcard_devstack.provider_doubles`, which refuse requests
beyond each provider's limit a second, as the providers do) run in a process of their
own, starts the messaging service in-process (one replica), asks for the mailing through
GraphQL, and reports the time until every
message was sent, and per provider the busiest second the double saw against its limit.

    make up   # for its PostgreSQL on 54329 and Kafka on 19092
    .venv/bin/python benchmarks/channels_mailing.py --members 8000
    .venv/bin/python benchmarks/channels_mailing.py --members 100000 --scale 10

At the documented limits (`--scale 1`: Telegram 25 of its 30 a second, VK 20, WhatsApp
80, SMSC 20) the floor for N members is N/4 divided by the slowest rate (VK's and SMS's
20): 1,250 s for 100,000. `--scale k` multiplies both what the service is configured to
send and what the doubles allow by k, to measure the service itself on 100,000 in less
time. The database (`channels_bench`) is dropped and refilled each run.
"""

import argparse
import asyncio
import contextlib
import multiprocessing as mp
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from messaging_broadcast import CREATE, STATS, TENANT, Servers, graphql, progress, servers, service
from pydantic import SecretStr

from clientcard_contracts.topics import TOPICS
from clientcard_devstack.provider_doubles.smsc import serve_smsc_api
from clientcard_devstack.provider_doubles.telegram import serve_bot_api
from clientcard_devstack.provider_doubles.vk import serve_vk_api
from clientcard_devstack.provider_doubles.whatsapp import serve_cloud_api
from clientcard_kit.db import Database, migrations
from clientcard_messaging.service import SERVICE
from clientcard_messaging.settings import (
    MessagingSettings,
    SmscAccount,
    TelegramBot,
    VkCommunity,
    WhatsAppNumber,
)

DATABASE = "channels_bench"
BOT_TOKEN = "7000000009:bench"
VK_TOKEN = "vk1.a.bench"
WA_TOKEN = "EAAG-bench"
TEMPLATE = ("bench_notice", "ru")
SMS_LOGIN, SMS_PASSWORD = "bench", "bench-password"
# (what the service sends at, what the provider allows) a second, at scale 1.
LIMITS = {
    "TELEGRAM": (25.0, 30.0),
    "VK": (20.0, 20.0),
    "WHATSAPP": (80.0, 80.0),
    "SMS": (20.0, 20.0),
}

FILL = """
WITH members AS (
  SELECT gen_random_uuid() AS id, n,
         (ARRAY['TELEGRAM', 'VK', 'WHATSAPP', 'SMS'])[n % 4 + 1] AS channel
  FROM generate_series(1, CAST(:members AS int)) AS n
), customers_added AS (
  INSERT INTO customers (id, tenant_id, phone, segments_version, messengers_version)
  SELECT id, :tenant, '+7916' || lpad(n::text, 7, '0'), 1, 1 FROM members
), members_added AS (
  INSERT INTO segment_members (tenant_id, segment_id, customer_id)
  SELECT :tenant, CAST(:segment AS uuid), id FROM members
)
INSERT INTO subscriptions (tenant_id, customer_id, channel, address, status, is_default,
                           subscribed_at)
SELECT :tenant, id, channel,
       CASE channel WHEN 'TELEGRAM' THEN (1000000000 + n)::text
                    WHEN 'VK' THEN (100000000 + n)::text
                    WHEN 'WHATSAPP' THEN '+7915' || lpad(n::text, 7, '0')
                    ELSE '+7926' || lpad(n::text, 7, '0') END,
       'ACTIVE', true, now()
FROM members
"""


@dataclass
class Doubles:
    urls: dict[str, str]
    # Per provider: the busiest second seen, and whether any request went over the limit.
    seen: dict[str, tuple[int, bool]]


def prepare(target: Servers, members: int) -> str:
    from clientcard_devstack import postgres

    postgres.recreate_database(target.admin, DATABASE)
    migrations.upgrade(SERVICE.migrations, target.url)
    segment = str(uuid.uuid4())
    engine = sa.create_engine(target.url)
    with engine.begin() as connection:
        connection.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": TENANT})
        connection.execute(
            sa.text(FILL), {"members": members, "tenant": TENANT, "segment": segment}
        )
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            sa.text("VACUUM ANALYZE")
        )
    engine.dispose()
    return segment


def configured(target: Servers, doubles: Doubles, scale: float, batch: int) -> MessagingSettings:
    rate = {channel: sends * scale for channel, (sends, _) in LIMITS.items()}
    return MessagingSettings(
        database_url=target.url,
        kafka_bootstrap_servers=target.kafka,
        consumers_enabled=False,
        send_batch_size=batch,
        log_level="WARNING",
        kafka_consumer_group="channels-bench",
        provider_concurrency=32,
        telegram_bots={
            TENANT: TelegramBot(
                token=SecretStr(BOT_TOKEN),
                webhook_secret=SecretStr("bench"),
                base_url=doubles.urls["TELEGRAM"],
                messages_per_second=rate["TELEGRAM"],
            )
        },
        vk_communities={
            TENANT: VkCommunity.model_construct(
                group_id=1,
                token=SecretStr(VK_TOKEN),
                confirmation_code="bench",
                secret_key=SecretStr("bench"),
                base_url=doubles.urls["VK"],
                api_version="5.199",
                # Past VK's 20 only for a scaled run (the settings refuse more otherwise).
                messages_per_second=rate["VK"],
            )
        },
        whatsapp_numbers={
            TENANT: WhatsAppNumber.model_construct(
                phone_number_id="1",
                token=SecretStr(WA_TOKEN),
                app_secret=SecretStr("bench"),
                verify_token=SecretStr("bench"),
                template_name=TEMPLATE[0],
                template_language=TEMPLATE[1],
                base_url=doubles.urls["WHATSAPP"],
                api_version="v21.0",
                messages_per_second=rate["WHATSAPP"],
            )
        },
        smsc_accounts={
            TENANT: SmscAccount.model_construct(
                login=SMS_LOGIN,
                password=SecretStr(SMS_PASSWORD),
                sender="Bench",
                callback_secret=SecretStr("bench"),
                base_url=doubles.urls["SMS"],
                messages_per_second=rate["SMS"],
            )
        },
    )


async def _serve_doubles(
    allowed: dict[str, float], urls: "mp.Queue[dict[str, str]]", stop: Any, seen: Any
) -> None:
    async with (
        serve_bot_api(BOT_TOKEN, per_second=allowed["TELEGRAM"]) as bot,
        serve_vk_api(VK_TOKEN, per_second=allowed["VK"]) as vk,
        serve_cloud_api({WA_TOKEN}, {TEMPLATE}, per_second=allowed["WHATSAPP"]) as wa,
        serve_smsc_api({SMS_LOGIN: SMS_PASSWORD}, per_second=allowed["SMS"]) as sms,
    ):
        sms.balance *= 1000  # enough for every part of the run
        urls.put({"TELEGRAM": bot.url, "VK": vk.url, "WHATSAPP": wa.url, "SMS": sms.url})
        await asyncio.to_thread(stop.wait)
        windows = {
            "TELEGRAM": bot.window,
            "VK": vk.window,
            "WHATSAPP": wa.window,
            "SMS": sms.window,
        }
        seen.put({name: (w.busiest, w.over_limit) for name, w in windows.items()})


def _doubles_process(allowed: dict[str, float], urls: Any, stop: Any, seen: Any) -> None:
    asyncio.run(_serve_doubles(allowed, urls, stop, seen))


@contextlib.contextmanager
def doubles_aside(scale: float) -> Iterator[Doubles]:
    """The four stand-ins in a process of their own, as the providers are: the moment each
    sees a request is then not held back by the service's work, and their work takes
    nothing of the service's process."""
    allowed = {channel: limit * scale for channel, (_, limit) in LIMITS.items()}
    urls: mp.Queue[dict[str, str]] = mp.Queue()
    seen: mp.Queue[dict[str, tuple[int, bool]]] = mp.Queue()
    stop = mp.Event()
    process = mp.Process(target=_doubles_process, args=(allowed, urls, stop, seen), daemon=True)
    process.start()
    doubles = Doubles(urls.get(timeout=60), {})
    try:
        yield doubles
    finally:
        stop.set()
        doubles.seen.update(seen.get(timeout=60))
        process.join(timeout=30)


async def measure(target: Servers, members: int, scale: float, batch: int) -> None:
    segment = prepare(target, members)
    from clientcard_devstack import topics as kafka_topics

    await kafka_topics.create_topics(target.kafka, list(TOPICS))
    with doubles_aside(scale) as doubles:
        settings = configured(target, doubles, scale, batch)
        db = Database(target.url)
        try:
            async with service(settings, 1) as client:
                started = time.perf_counter()
                text = "Скидка 20% до воскресенья"
                mailing = {"name": "Бенчмарк", "text": text, "segmentIds": [segment]}
                created = await graphql(client, CREATE, input=mailing)
                broadcast_id = created["createBroadcast"]["id"]
                while True:
                    await asyncio.sleep(0.5)
                    queued, waiting = await progress(db, broadcast_id)
                    if queued and waiting == 0:
                        break
                    if time.perf_counter() - started > 3600:
                        raise SystemExit(f"gave up after an hour with {waiting} waiting")
                sent_in = time.perf_counter() - started
                final = (await graphql(client, STATS, id=broadcast_id))["broadcast"]
        finally:
            await db.dispose()
    report(members, scale, sent_in, doubles, final)


def report(
    members: int, scale: float, sent_in: float, doubles: Doubles, final: dict[str, object]
) -> None:
    share = members / 4
    floor = max(share / (sends * scale) for sends, _ in LIMITS.values())
    print(f"members {members:,} (each channel {share:,.0f}), scale {scale:g}")
    print(f"all sent in {sent_in:.1f} s (floor at the configured rates {floor:.1f} s)")
    print(
        "| provider | sends at /s | allows /s | busiest second seen | refused as over the limit |"
    )
    for channel, (sends, limit) in LIMITS.items():
        busiest, over = doubles.seen[channel]
        print(
            f"| {channel} | {sends * scale:g} | {limit * scale:g} | {busiest} | "
            f"{'yes' if over else 'none'} |"
        )
    print(f"final: {final}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=8000)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--batch", type=int, default=1000, help="send queue batch size")
    parser.add_argument("--own-servers", action="store_true")
    args = parser.parse_args()
    with servers(args.own_servers, DATABASE) as target:
        asyncio.run(measure(target, args.members, args.scale, args.batch))


if __name__ == "__main__":
    main()
