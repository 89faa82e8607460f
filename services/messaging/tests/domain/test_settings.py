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
