"""The words a customer answers with to stop the messages: "/stop" in a bot, and the
STOP / СТОП a customer types in WhatsApp or by SMS, as mailings' texts tell them to."""

_STOP = frozenset({"/stop", "stop", "стоп", "отписаться", "unsubscribe"})


def is_stop(text: str) -> bool:
    return text.strip().strip(".!").casefold() in _STOP
