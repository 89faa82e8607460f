from clientcard_contracts.enums import Channel
from clientcard_messaging.channels.registry import Providers
from clientcard_messaging.settings import MessagingSettings


def test_the_sandbox_inbox_is_closed_in_production_unless_opened() -> None:
    assert MessagingSettings(environment="development").sandbox_inbox_open
    assert not MessagingSettings(environment="production").sandbox_inbox_open
    opened = MessagingSettings(environment="production", sandbox_inbound_enabled=True)
    assert opened.sandbox_inbox_open


def test_telegram_bots_are_read_from_json() -> None:
    settings = MessagingSettings.model_validate(
        {"telegram_bots": {"demo": {"token": "1:x", "webhook_secret": "s"}}}
    )
    bot = settings.telegram_bots["demo"]
    assert (bot.token.get_secret_value(), bot.messages_per_second) == ("1:x", 25.0)


def test_which_channels_the_sandbox_serves_per_tenant() -> None:
    assert MessagingSettings(environment="development").sandboxed("any") == frozenset(Channel)
    assert MessagingSettings(environment="production").sandboxed("any") == frozenset()
    chosen = MessagingSettings.model_validate(
        {"sandbox_channels": {"*": ["VIBER"], "demo": ["TELEGRAM", "SMS"]}}
    )
    assert chosen.sandboxed("demo") == {Channel.TELEGRAM, Channel.SMS}
    assert chosen.sandboxed("other") == {Channel.VIBER}
    assert MessagingSettings(sandbox_channels={}).sandboxed("demo") == frozenset()


def test_a_tenant_with_a_real_provider_has_that_channel_configured_beside_the_sandboxs() -> None:
    settings = MessagingSettings.model_validate(
        {
            "sandbox_channels": {"*": ["VIBER"]},
            "smsc_accounts": {
                "demo": {"password": "smsc-api-key-7", "sender": "Salon", "callback_secret": "s"}
            },
        }
    )
    providers = Providers(settings)
    assert providers.configured("demo") == {Channel.VIBER, Channel.SMS}
    assert providers.configured("other") == {Channel.VIBER}
    assert not providers.uses_sandbox("demo", Channel.SMS)
    assert providers.uses_sandbox("demo", Channel.VIBER)
    assert "smsc-api-key-7" not in repr(settings)
