"""Which channels a merchant has: those with a provider (real, or the sandbox where the
settings let it). Others are refused when linking and sending, and skipped by mailings;
a mailing over all four real providers reaches each member once, on their default."""

import uuid
from typing import Any

import pytest

from clientcard_devstack.provider_doubles.smsc import SmscApi
from clientcard_devstack.provider_doubles.telegram import BotApi
from clientcard_devstack.provider_doubles.vk import VkApi
from clientcard_devstack.provider_doubles.whatsapp import CloudApi
from clientcard_messaging.settings import MessagingSettings

from .conftest import MIXED_TENANT, TELEGRAM_ONLY_TENANT
from .support import LINK, SEND, error_code, in_segments, moved_to_sms, processed, publish
from .test_broadcasts import CREATE, finished

pytestmark = pytest.mark.integration
STATS = """query($id: ID!) { broadcast(id: $id) {
  status stats { recipients sent delivered failed unreachable notConfigured } } }"""


def number() -> int:
    return uuid.uuid4().int % 10**7


async def test_linking_or_writing_on_a_channel_the_merchant_lacks_is_refused_in_words(
    as_tenant: Any, customer: Any
) -> None:
    call = as_tenant(TELEGRAM_ONLY_TENANT)
    someone = await customer(call)
    refused = await call(LINK, c=someone, ch="WHATSAPP", a="+79161110001")
    assert error_code(refused) == "BAD_USER_INPUT"
    assert refused["errors"][0]["message"] == (
        "channel: WHATSAPP is not configured for this merchant (configured: TELEGRAM)"
    )
    await call.data(LINK, c=someone, ch="TELEGRAM", a=str(10**9 + number()))
    unsent = await call(SEND, c=someone, t="Привет", ch="SMS")
    assert error_code(unsent) == "BAD_USER_INPUT"
    queued = (await call.data(SEND, c=someone, t="Привет"))["sendMessage"]
    assert queued["channel"] == "TELEGRAM"


async def test_a_mailing_skips_and_counts_members_whose_channel_is_not_configured(
    as_tenant: Any, messaging_settings: MessagingSettings, customer: Any
) -> None:
    call, segment = as_tenant(TELEGRAM_ONLY_TENANT), str(uuid.uuid4())
    on_telegram, on_sms = await customer(call), await customer(call)
    for someone in (on_telegram, on_sms):
        await call.data(LINK, c=someone, ch="TELEGRAM", a=str(10**9 + number()))
    await moved_to_sms(messaging_settings, TELEGRAM_ONLY_TENANT, on_sms)
    refused = await call(SEND, c=on_sms, t="Привет")
    assert error_code(refused) == "BAD_USER_INPUT"
    joined = [in_segments(TELEGRAM_ONLY_TENANT, c, 1, segment) for c in (on_telegram, on_sms)]
    await processed(messaging_settings, await publish(messaging_settings, joined))
    mailing = {"name": "Только Telegram", "text": "Новости салона", "segmentIds": [segment]}
    created = (await call.data(CREATE, input=mailing))["createBroadcast"]
    await finished(call, created["id"])
    stats = (await call.data(STATS, id=created["id"]))["broadcast"]["stats"]
    assert (stats["recipients"], stats["delivered"], stats["notConfigured"]) == (1, 1, 1)
    assert stats["unreachable"] == 0


async def test_a_mailing_over_four_real_channels_sends_each_member_once_on_their_default(
    as_tenant: Any,
    messaging_settings: MessagingSettings,
    customer: Any,
    bot_api: BotApi,
    vk_api: VkApi,
    whatsapp_api: CloudApi,
    smsc_api: SmscApi,
) -> None:
    call, segment = as_tenant(MIXED_TENANT), str(uuid.uuid4())
    addresses = {
        "TELEGRAM": [str(10**9 + number()) for _ in range(3)],
        "VK": [str(10**8 + number()) for _ in range(3)],
        "WHATSAPP": [f"+7915{number():07d}" for _ in range(3)],
        "SMS": [f"+7926{number():07d}" for _ in range(3)],
    }
    members = []
    for channel, found in addresses.items():
        for address in found:
            someone = await customer(call)
            await call.data(LINK, c=someone, ch=channel, a=address)
            members.append(someone)
    # One more on Telegram (the default: linked first) who also has SMS.
    both, chat, sms = await customer(call), str(10**9 + number()), f"+7926{number():07d}"
    await call.data(LINK, c=both, ch="TELEGRAM", a=chat)
    await call.data(LINK, c=both, ch="SMS", a=sms)
    joined = [in_segments(MIXED_TENANT, c, 1, segment) for c in [*members, both]]
    await processed(messaging_settings, await publish(messaging_settings, joined))
    text = "Весенние скидки"
    mailing = {"name": "Все каналы", "text": text, "segmentIds": [segment]}
    created = (await call.data(CREATE, input=mailing))["createBroadcast"]
    await finished(call, created["id"])
    assert all(bot_api.delivered(c) == [text] for c in [*addresses["TELEGRAM"], chat])
    assert all(vk_api.delivered(peer) == [text] for peer in addresses["VK"])
    assert all(
        [s.text for s in whatsapp_api.accepted(phone)] == [text] for phone in addresses["WHATSAPP"]
    )
    assert all([s.text for s in smsc_api.accepted(phone)] == [text] for phone in addresses["SMS"])
    assert smsc_api.accepted(sms) == []
    stats = (await call.data(STATS, id=created["id"]))["broadcast"]["stats"]
    assert (stats["recipients"], stats["sent"], stats["notConfigured"]) == (13, 13, 0)
